import DequeModule
import Foundation
import GoujiIngest
import GoujiModel
import GoujiTransport
import GoujiWire
import Logging

/// gouji-ingest: accepts submissions into the durable spool, leases them to parse workers that
/// ask for work, then carries each parsed document through reconcile to the store, and journals
/// every step. Whatever was acknowledged and is not yet stored is redelivered: to another worker
/// when its worker dies, to the reconcile/store service when it comes back, to the pipeline
/// when ingest itself restarts (from the journal).
public final class IngestService: SupervisedService, @unchecked Sendable {
    // Rule: every member is touched on `loop`'s thread only.
    let loop: EventLoop
    let home: GoujiHome
    let config: RuntimeConfig
    let logger = Logger(label: "gouji.ingest")
    let spool: Spool
    let loader: SubmissionLoader
    private var server: UnixServer?
    private var reconcileClient: ReconnectingClient?
    private var storeClient: ReconnectingClient?
    private var reconcileConn: FrameConnection?
    private var storeConn: FrameConnection?

    private var dispatcher: Dispatcher<Int, String>
    private var workerConns: [Int: FrameConnection] = [:]
    private var nextConnID = 0
    private var leaseStart: [String: Double] = [:]
    /// Parsed, waiting for (or at) reconcile. Documents pass through ingest as JSON values, never
    /// decoded: ingest only routes them.
    private var toReconcile: [String: JSONValue] = [:]
    /// Reconciled, waiting for (or at) the store.
    private var toStore: [String: JSONValue] = [:]
    private var waiters: [ProgressWaiter] = []
    /// When each document was last sent to reconcile or store (resent when no answer comes).
    private var sentAt: [String: Double] = [:]
    /// Request id → document, for replies (and error replies) from reconcile and store.
    private var outstanding: [String: String] = [:]
    /// Error replies per document; past `maxAttempts` the document fails with the last reason.
    private var stageErrors: [String: Int] = [:]
    private var draining = false
    private var drainDone: (() -> Void)?
    private var processedCount = 0

    struct ProgressWaiter {
        let conn: FrameConnection
        let connID: Int
        let requestID: String
        let docIDs: [String]
        let doneKnown: Int
        let deadline: Double
    }

    public init(loop: EventLoop, home: GoujiHome, config: RuntimeConfig) throws {
        self.loop = loop
        self.home = home
        self.config = config
        spool = try Spool(directory: home.spool)
        loader = SubmissionLoader(maxBytes: config.maxDocumentBytes)
        dispatcher = Dispatcher(maxAttempts: config.maxAttempts)
    }

    public var stats: PongBody {
        PongBody(inFlight: spool.pending().count, processed: processedCount)
    }

    public func start() throws {
        server = try UnixServer.listening(loop: loop, path: home.ingestSocket, maxFrameBytes: config.maxFrameBytes) { [weak self] conn in
            self?.accepted(conn)
        }

        let rc = ReconnectingClient.make(loop: loop, path: home.reconcileSocket, maxFrameBytes: config.maxFrameBytes)
        rc.onConnect = { [weak self] conn in self?.reconcileUp(conn) }
        rc.onDisconnect = { [weak self] in self?.reconcileConn = nil }
        rc.start()
        reconcileClient = rc
        let sc = ReconnectingClient.make(loop: loop, path: home.storeSocket, maxFrameBytes: config.maxFrameBytes)
        sc.onConnect = { [weak self] conn in self?.storeUp(conn) }
        sc.onDisconnect = { [weak self] in self?.storeConn = nil }
        sc.start()
        storeClient = sc

        // Redeliver what the journal says was accepted but never stored.
        let pending = spool.pending()
        for r in pending { enqueue(r.docID) }
        if !pending.isEmpty { logger.info("redelivering from spool", metadata: ["documents": "\(pending.count)"]) }
        loop.schedule(afterMilliseconds: 500, repeatMilliseconds: 500) { [weak self] in self?.sweep() }
        logger.info("listening", metadata: ["socket": "\(home.ingestSocket)"])
    }

    public func drain(done: @escaping () -> Void) {
        draining = true
        drainDone = done
        logger.info("draining", metadata: ["pending": "\(spool.pending().count)"])
        checkDrained()
    }

    private func checkDrained() {
        guard draining, let done = drainDone, spool.pending().isEmpty else { return }
        drainDone = nil
        logger.info("drained")
        done()
    }

    // MARK: Connections

    private func accepted(_ conn: FrameConnection) -> MessageRouter {
        let id = nextConnID
        nextConnID += 1
        conn.onClose = { [weak self] _ in self?.connectionClosed(id) }
        return router(for: conn, connID: id)
    }

    /// The messages ingest handles on one connection. Its handlers answer on their own (now, later
    /// or never), so they return nil.
    private func router(for conn: FrameConnection, connID: Int) -> MessageRouter {
        var r = MessageRouter(serviceName: "gouji-ingest")
        func on(_ type: String, _ handle: @escaping (IngestService, Envelope) -> Void) {
            r.on(type) { [weak self] env in
                if let self { handle(self, env) }
                return nil
            }
        }
        on(MessageType.submit) { s, env in s.submit(env, conn) }
        on(MessageType.progress) { s, env in s.progress(env, conn, connID: connID) }
        on(MessageType.workRequest) { s, env in s.workRequested(env, conn, connID: connID) }
        on(MessageType.workDone) { s, env in s.workDone(env, connID: connID) }
        on(MessageType.workFailed) { s, env in s.workFailed(env, connID: connID) }
        r.on(MessageType.ping) { [weak self] _ in self.map { Wire.envelope(MessageType.pong, $0.stats) } }
        return r
    }

    private func connectionClosed(_ id: Int) {
        waiters.removeAll { $0.connID == id }
        guard workerConns.removeValue(forKey: id) != nil else { return }
        let (requeued, poisoned) = dispatcher.release(worker: id)
        for job in requeued { leaseStart[job] = nil }
        if !requeued.isEmpty {
            logger.warning("worker gone; jobs redelivered", metadata: ["worker": "\(id)", "jobs": "\(requeued.count)"])
        }
        for job in poisoned {
            leaseStart[job] = nil
            fail(job, reason: "a parse worker died \(config.maxAttempts) times on this document; check it with `gouji check`")
        }
        assignAll()
    }

    private func workRequested(_ env: Envelope, _ conn: FrameConnection, connID: Int) {
        workerConns[connID] = conn
        if draining && spool.pending().isEmpty { return }
        if let a = dispatcher.request(worker: connID, ticket: env.id) { deliver(a) }
    }

    private func workFailed(_ env: Envelope, connID: Int) {
        guard let b = try? Wire.decode(env, as: WorkFailedBody.self) else { return }
        dispatcher.complete(b.docID, by: connID)
        leaseStart[b.docID] = nil
        fail(b.docID, reason: b.reason)
    }

    // MARK: Submissions

    private func submit(_ env: Envelope, _ conn: FrameConnection) {
        if draining {
            conn.sendError(code: "draining", message: "gouji is shutting down; submit again after `gouji up`", replyTo: env.id)
            return
        }
        let body: SubmitBody
        do { body = try Wire.decode(env, as: SubmitBody.self) } catch {
            conn.sendError(code: "bad_request", message: "submit needs {\"path\"} or {\"name\",\"data_base64\"}: \(error)", replyTo: env.id)
            return
        }
        do {
            let submission: Submission
            if let path = body.path {
                submission = try loader.load(path: path)
            } else if let b64 = body.dataBase64, let data = Data(base64Encoded: b64) {
                submission = try loader.load(bytes: data, name: body.name ?? "submission")
            } else {
                conn.sendError(code: "bad_request", message: "submit needs a path or base64 data", replyTo: env.id)
                return
            }
            let outcome = try spool.accept(submission)
            switch outcome {
            case .accepted:
                conn.sendMessage(MessageType.submitted,
                                 SubmittedBody(docID: submission.docID, name: submission.name, state: DocState.accepted.rawValue, duplicate: false),
                                 replyTo: env.id)
                logger.info("accepted", metadata: ["doc_id": "\(submission.docID)", "name": "\(submission.name)"])
                enqueue(submission.docID)
            case let .duplicate(state):
                conn.sendMessage(MessageType.submitted,
                                 SubmittedBody(docID: submission.docID, name: submission.name, state: state.rawValue, duplicate: true),
                                 replyTo: env.id)
            }
        } catch {
            conn.sendError(code: "refused", message: error.description, replyTo: env.id)
        }
    }

    private func progress(_ env: Envelope, _ conn: FrameConnection, connID: Int) {
        guard let b = try? Wire.decode(env, as: ProgressBody.self) else {
            conn.sendError(code: "bad_request", message: "progress needs doc_ids, done_known, timeout_ms", replyTo: env.id)
            return
        }
        let w = ProgressWaiter(conn: conn, connID: connID, requestID: env.id, docIDs: b.docIDs, doneKnown: b.doneKnown,
                               deadline: Monotonic.now() + Double(b.timeoutMs) / 1000)
        let reply = progressReply(b.docIDs)
        if reply.done > b.doneKnown || reply.done == b.docIDs.count || b.timeoutMs <= 0 {
            conn.sendMessage(MessageType.progressReply, reply, replyTo: env.id)
        } else {
            waiters.append(w)
        }
    }

    private func progressReply(_ ids: [String]) -> ProgressReplyBody {
        var done = 0
        let docs = ids.map { id -> DocProgress in
            guard let r = spool.record(id) else { return DocProgress(docID: id, state: "unknown") }
            if r.state.isTerminal { done += 1 }
            return DocProgress(docID: id, state: r.state.rawValue, reason: r.reason)
        }
        return ProgressReplyBody(docs: docs, done: done)
    }

    private func notifyWaiters(force: Bool = false) {
        guard !waiters.isEmpty else { return }
        let now = Monotonic.now()
        var keep: [ProgressWaiter] = []
        for w in waiters {
            let r = progressReply(w.docIDs)
            if force || r.done > w.doneKnown || r.done == w.docIDs.count || now >= w.deadline {
                w.conn.sendMessage(MessageType.progressReply, r, replyTo: w.requestID)
            } else {
                keep.append(w)
            }
        }
        waiters = keep
    }

    // MARK: Parse stage

    private func enqueue(_ docID: String) {
        if let a = dispatcher.enqueue(docID) { deliver(a) }
        assignAll()
    }

    private func assignAll() {
        while let a = dispatcher.assignWaiting() { deliver(a) }
    }

    private func deliver(_ a: Dispatcher<Int, String>.Assignment) {
        guard let conn = workerConns[a.worker] else {
            _ = dispatcher.release(worker: a.worker)
            return
        }
        do {
            let s = try spool.load(a.job)
            leaseStart[a.job] = Monotonic.now()
            let attempt = dispatcher.attempts[a.job] ?? 1
            conn.sendMessage(MessageType.workAssign,
                             WorkAssignBody(docID: s.docID, name: s.name, format: s.format, bytes: s.bytes, text: s.text, attempt: attempt),
                             replyTo: a.ticket)
        } catch {
            dispatcher.complete(a.job)
            fail(a.job, reason: error.description)
            // The worker still waits for a job.
            if let next = dispatcher.request(worker: a.worker, ticket: a.ticket) { deliver(next) }
        }
    }

    /// The `{doc_id, document}` of a document message, without decoding the document.
    private func documentParts(_ env: Envelope) -> (docID: String, document: JSONValue)? {
        guard let id = env.body["doc_id"]?.stringValue, let doc = env.body["document"], doc.objectValue != nil else { return nil }
        return (id, doc)
    }

    private func workDone(_ env: Envelope, connID: Int) {
        guard let (docID, document) = documentParts(env) else {
            logger.error("bad work.done: it needs {doc_id, document}")
            return
        }
        leaseStart[docID] = nil
        if !dispatcher.complete(docID, by: connID) {
            // A late result (the lease expired and the job went back to the queue): use it anyway.
            dispatcher.drop(docID)
        }
        // `parsed` too: a restarted ingest parses again what the journal says was parsed before
        // it died (the parsed document lived only in the old process's memory).
        guard let r = spool.record(docID), !r.state.isTerminal, toReconcile[docID] == nil, toStore[docID] == nil else { return }
        do { try spool.mark(docID, .parsed) } catch {
            logger.error("journal", metadata: ["error": "\(error)"])
        }
        toReconcile[docID] = document
        reconcileWindow.add(docID)
        pumpReconcile()
    }

    private func documentEnvelope(_ type: String, _ docID: String, _ document: JSONValue) -> Envelope {
        Envelope(type: type, body: .object(["doc_id": .string(docID), "document": document]))
    }

    // MARK: Reconcile and store stages

    /// A stage's flow control: at most `window` documents outstanding at the service, the rest
    /// wait here in order. A small window keeps the service answering goujid's pings between
    /// documents (a backlog sent at once would make it look hung) and bounds its memory.
    struct StageWindow {
        let window: Int
        var waiting: Deque<String> = []
        var outstanding: Set<String> = []

        mutating func add(_ id: String) { waiting.append(id) }

        /// The next document to send, if the window has room.
        mutating func next(isLive: (String) -> Bool) -> String? {
            guard outstanding.count < window else { return nil }
            while let id = waiting.popFirst() {
                if isLive(id) && !outstanding.contains(id) {
                    outstanding.insert(id)
                    return id
                }
            }
            return nil
        }

        mutating func finished(_ id: String) { outstanding.remove(id) }

        /// The connection was lost: everything outstanding is sent again first.
        mutating func resetOutstanding() {
            for id in outstanding.sorted().reversed() { waiting.prepend(id) }
            outstanding.removeAll()
        }

        mutating func remove(_ id: String) {
            outstanding.remove(id)
            waiting.removeAll { $0 == id }
        }
    }

    private var reconcileWindow = StageWindow(window: 4)
    private var storeWindow = StageWindow(window: 8)

    private func reconcileUp(_ conn: FrameConnection) {
        reconcileConn = conn
        conn.onMessage = { [weak self] env in self?.reconcileReply(env) }
        reconcileWindow.resetOutstanding()
        pumpReconcile()
    }

    private func pumpReconcile() {
        guard reconcileConn != nil else { return }
        while let id = reconcileWindow.next(isLive: { toReconcile[$0] != nil }) { sendReconcile(id) }
    }

    private func sendReconcile(_ docID: String) {
        guard let conn = reconcileConn, let doc = toReconcile[docID] else { return }
        sentAt[docID] = Monotonic.now()
        let env = documentEnvelope(MessageType.reconcile, docID, doc)
        conn.send(env)
        outstanding[env.id] = docID
    }

    private func reconcileReply(_ env: Envelope) {
        if env.type == MessageType.error {
            stageError(env, stage: "reconcile")
            return
        }
        if let r = env.replyTo { outstanding[r] = nil }
        guard env.type == MessageType.reconciled, let (docID, document) = documentParts(env),
              toReconcile.removeValue(forKey: docID) != nil else { return }
        reconcileWindow.finished(docID)
        sentAt[docID] = nil
        toStore[docID] = document
        storeWindow.add(docID)
        pumpStore()
        pumpReconcile()
    }

    private func storeUp(_ conn: FrameConnection) {
        storeConn = conn
        conn.onMessage = { [weak self] env in self?.storeReply(env) }
        storeWindow.resetOutstanding()
        pumpStore()
    }

    private func pumpStore() {
        guard storeConn != nil else { return }
        while let id = storeWindow.next(isLive: { toStore[$0] != nil }) { sendStore(id) }
    }

    private func sendStore(_ docID: String) {
        guard let conn = storeConn, let doc = toStore[docID] else { return }
        sentAt[docID] = Monotonic.now()
        let env = documentEnvelope(MessageType.storePut, docID, doc)
        conn.send(env)
        outstanding[env.id] = docID
    }

    private func storeReply(_ env: Envelope) {
        if env.type == MessageType.error {
            stageError(env, stage: "store")
            return
        }
        if let r = env.replyTo { outstanding[r] = nil }
        guard env.type == MessageType.storeAck, let b = try? Wire.decode(env, as: StoreAckBody.self),
              toStore.removeValue(forKey: b.docID) != nil else { return }
        storeWindow.finished(b.docID)
        do { try spool.mark(b.docID, .stored) } catch {
            logger.error("journal", metadata: ["error": "\(error)"])
        }
        spool.discardText(b.docID)
        sentAt[b.docID] = nil
        stageErrors[b.docID] = nil
        processedCount += 1
        logger.info("stored", metadata: ["doc_id": "\(b.docID)", "outcome": "\(b.outcome)"])
        notifyWaiters()
        checkDrained()
        pumpStore()
    }

    /// An error reply from reconcile or store: the document goes to the back of that stage's
    /// line (retried) up to `maxAttempts` times, then fails with the service's message.
    private func stageError(_ env: Envelope, stage: String) {
        let message = env.errorInfo?.message ?? "\(stage) failed"
        guard let r = env.replyTo, let docID = outstanding.removeValue(forKey: r) else {
            logger.error("\(stage) error", metadata: ["message": "\(message)"])
            return
        }
        let n = (stageErrors[docID] ?? 0) + 1
        stageErrors[docID] = n
        logger.warning("\(stage) error; will retry", metadata: ["doc_id": "\(docID)", "attempt": "\(n)", "message": "\(message)"])
        sentAt[docID] = nil
        if n >= config.maxAttempts {
            fail(docID, reason: "\(stage): \(message)")
        } else if stage == "reconcile" {
            reconcileWindow.finished(docID)
            reconcileWindow.add(docID)
        } else {
            storeWindow.finished(docID)
            storeWindow.add(docID)
        }
        pumpReconcile()
        pumpStore()
    }

    private func fail(_ docID: String, reason: String) {
        dispatcher.drop(docID)
        toReconcile[docID] = nil
        toStore[docID] = nil
        reconcileWindow.remove(docID)
        storeWindow.remove(docID)
        sentAt[docID] = nil
        stageErrors[docID] = nil
        do { try spool.mark(docID, .failed, reason: reason) } catch {
            logger.error("journal", metadata: ["error": "\(error)"])
        }
        logger.warning("failed", metadata: ["doc_id": "\(docID)", "reason": "\(reason)"])
        notifyWaiters()
        checkDrained()
    }

    /// Expires overdue leases and progress waits.
    private func sweep() {
        let now = Monotonic.now()
        let limit = Double(config.jobTimeoutMs) / 1000
        for (job, start) in leaseStart where now - start > limit {
            leaseStart[job] = nil
            switch dispatcher.expire(job) {
            case .requeued: logger.warning("lease expired; job redelivered", metadata: ["doc_id": "\(job)"])
            case .poisoned: fail(job, reason: "parsing did not finish within \(config.jobTimeoutMs) ms, \(config.maxAttempts) times")
            case .notLeased: break
            }
        }
        // Reconcile/store requests without an answer in time are sent again (both are idempotent).
        let answerLimit = Double(config.requestTimeoutMs) / 1000
        for (docID, at) in sentAt where now - at > answerLimit {
            if toReconcile[docID] != nil && reconcileWindow.outstanding.contains(docID) {
                sendReconcile(docID)
            } else if toStore[docID] != nil && storeWindow.outstanding.contains(docID) {
                sendStore(docID)
            } else {
                sentAt[docID] = nil
            }
        }
        assignAll()
        if waiters.contains(where: { now >= $0.deadline }) { notifyWaiters() }
    }
}
