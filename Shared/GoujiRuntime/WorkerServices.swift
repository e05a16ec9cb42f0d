import Foundation
import GoujiModel
import GoujiReconcile
import GoujiParse
import GoujiTransport
import GoujiWire
import Logging

/// gouji-parse: a stateless worker. It asks ingest for one job when idle (pull), parses it and
/// returns the document. Adding workers adds throughput; a dead worker holds no queue.
public final class ParseWorker: SupervisedService, @unchecked Sendable {
    // Rule: every member is touched on `loop`'s thread only.
    let loop: EventLoop
    let home: GoujiHome
    let config: RuntimeConfig
    let instance: Int
    let logger = Logger(label: "gouji.parse")
    private var client: ReconnectingClient?
    private var conn: FrameConnection?
    private var busy = false
    private var processedCount = 0
    private var draining = false
    private var drainDone: (() -> Void)?

    public init(loop: EventLoop, home: GoujiHome, config: RuntimeConfig, instance: Int) {
        self.loop = loop
        self.home = home
        self.config = config
        self.instance = instance
    }

    public var stats: PongBody { PongBody(inFlight: busy ? 1 : 0, processed: processedCount) }

    public func start() {
        let c = ReconnectingClient.make(loop: loop, path: home.ingestSocket, maxFrameBytes: config.maxFrameBytes)
        c.onConnect = { [weak self] conn in self?.connected(conn) }
        c.onDisconnect = { [weak self] in
            self?.conn = nil
            self?.busy = false
        }
        c.start()
        client = c
    }

    public func drain(done: @escaping () -> Void) {
        draining = true
        if busy { drainDone = done } else { done() }
    }

    private func connected(_ conn: FrameConnection) {
        self.conn = conn
        conn.onMessage = { [weak self] env in self?.handle(env) }
        askForWork()
    }

    private func askForWork() {
        guard !draining, let conn else { return }
        conn.sendMessage(MessageType.workRequest, Empty())
    }

    private func handle(_ env: Envelope) {
        guard env.type == MessageType.workAssign else { return }
        guard let job = try? Wire.decode(env, as: WorkAssignBody.self) else {
            logger.error("undecodable work.assign")
            return
        }
        busy = true
        let started = Monotonic.now()
        let doc = BudgetParser().parse(text: job.text, source: Source(name: job.name, format: job.format, bytes: job.bytes), docID: job.docID)
        busy = false
        processedCount += 1
        conn?.sendMessage(MessageType.workDone, DocumentBody(docID: job.docID, document: doc))
        logger.info("parsed", metadata: ["doc_id": "\(job.docID)", "tables": "\(doc.tables.count)",
                                         "ms": "\(Int((Monotonic.now() - started) * 1000))"])
        if let d = drainDone {
            drainDone = nil
            d()
        }
        askForWork()
    }
}

/// The reconciliation seam: the same library `gouji check` runs in-process.
public func reconcileFindings(_ doc: BudgetDocument) -> [Finding] {
    Reconciler().findings(for: doc)
}

/// gouji-reconcile: answers `reconcile` with the document plus its findings. Stateless.
public final class ReconcileService: SupervisedService, @unchecked Sendable {
    // Rule: every member is touched on `loop`'s thread only.
    let loop: EventLoop
    let home: GoujiHome
    let config: RuntimeConfig
    let logger = Logger(label: "gouji.reconcile")
    private var server: UnixServer?
    private var processedCount = 0

    public init(loop: EventLoop, home: GoujiHome, config: RuntimeConfig) {
        self.loop = loop
        self.home = home
        self.config = config
    }

    public var stats: PongBody { PongBody(inFlight: 0, processed: processedCount) }
    public func drain(done: @escaping () -> Void) { done() }

    public func start() throws {
        let router = makeRouter()
        server = try UnixServer.listening(loop: loop, path: home.reconcileSocket, maxFrameBytes: config.maxFrameBytes) { _ in router }
        logger.info("listening", metadata: ["socket": "\(home.reconcileSocket)"])
    }

    private func makeRouter() -> MessageRouter {
        var r = MessageRouter(serviceName: "gouji-reconcile")
        r.on(MessageType.reconcile) { [weak self] env in try self?.reconcile(env) }
        r.on(MessageType.ping) { [weak self] _ in self.map { Wire.envelope(MessageType.pong, $0.stats) } }
        return r
    }

    private func reconcile(_ env: Envelope) throws -> Envelope {
        let body = try Self.reconciledBody(env.body)
        processedCount += 1
        return Envelope(type: MessageType.reconciled, body: body)
    }

    /// A `reconcile` request's body `{doc_id, document}` with the document's `findings` set. The
    /// document is decoded to be checked but not encoded again (re-encoding it was most of this
    /// service's time per document); the result equals encoding the checked `DocumentBody`.
    static func reconciledBody(_ request: JSONValue) throws -> JSONValue {
        guard case .object(var body) = request, case .string? = body["doc_id"],
              let value = body["document"], case .object(var document) = value,
              let doc = try? JSONValueDecoder().decode(BudgetDocument.self, from: value) else {
            throw ServiceError.badRequest("reconcile needs {doc_id, document}")
        }
        document["findings"] = try JSONValue(encoding: reconcileFindings(doc))
        body["document"] = .object(document)
        return .object(body)
    }
}

/// Where gouji-store keeps documents. Storing is idempotent on the document id.
public protocol DocumentStoring: AnyObject {
    /// Group commit: all of `docs` in one transaction, each document's outcome (`inserted`,
    /// `unchanged` or `replaced`) or failure in its slot; throws when the transaction itself fails
    /// (then none was stored).
    func putEach(_ docs: [BudgetDocument]) throws -> [Result<String, any Error>]
    /// Every stored document id with its number of copies.
    func inventory() throws -> [String: Int]
}

/// gouji-store: the embedded store behind a socket.
///
/// Group commit: the puts that arrive together (one read of the socket, or several connections in
/// one loop iteration) are stored in one transaction, each in its own savepoint, and each is
/// acknowledged only after that transaction commits. A document that fails is rolled back alone
/// and gets its own error reply; the others in the batch are stored.
public final class StoreService: SupervisedService, @unchecked Sendable {
    // Rule: every member is touched on `loop`'s thread only.
    let loop: EventLoop
    let home: GoujiHome
    let config: RuntimeConfig
    let store: any DocumentStoring
    let logger = Logger(label: "gouji.store")
    private var server: UnixServer?
    private var processedCount = 0
    /// Puts received and not yet committed, in arrival order.
    private var pending: [PendingPut] = []
    private var flushScheduled = false

    private struct PendingPut {
        let docID: String
        let doc: BudgetDocument
        let requestID: String
        weak var conn: FrameConnection?
    }

    public init(loop: EventLoop, home: GoujiHome, config: RuntimeConfig, store: any DocumentStoring) {
        self.loop = loop
        self.home = home
        self.config = config
        self.store = store
    }

    public var stats: PongBody { PongBody(inFlight: pending.count, processed: processedCount) }

    /// Commits what is pending, then reports drained.
    public func drain(done: @escaping () -> Void) {
        flush()
        done()
    }

    public func start() throws {
        server = try UnixServer.listening(loop: loop, path: home.storeSocket, maxFrameBytes: config.maxFrameBytes) { [weak self] conn in
            self?.makeRouter(conn)
        }
        logger.info("listening", metadata: ["socket": "\(home.storeSocket)", "database": "\(home.database)"])
    }

    private func makeRouter(_ conn: FrameConnection) -> MessageRouter {
        var r = MessageRouter(serviceName: "gouji-store")
        r.on(MessageType.storePut) { [weak self, weak conn] env in try self?.put(env, from: conn) }
        r.on(MessageType.storeInventory) { [weak self] _ in try self?.inventory() }
        r.on(MessageType.storeQuery) { [weak self] env in try self?.query(env) }
        r.on(MessageType.ping) { [weak self] _ in self.map { Wire.envelope(MessageType.pong, $0.stats) } }
        return r
    }

    /// Queues the document for the next group commit; the reply follows the commit.
    private func put(_ env: Envelope, from conn: FrameConnection?) throws -> Envelope? {
        guard let b = try? Wire.decode(env, as: DocumentBody.self) else {
            throw ServiceError.badRequest("store.put needs {doc_id, document}")
        }
        var doc = b.document
        doc.docID = b.docID
        pending.append(PendingPut(docID: b.docID, doc: doc, requestID: env.id, conn: conn))
        if !flushScheduled {
            flushScheduled = true
            // A 0 ms timer runs in the loop's next iteration, after every frame already read.
            loop.schedule(afterMilliseconds: 0) { [weak self] in self?.flush() }
        }
        return nil
    }

    /// Stores every pending put in one transaction and answers each on its connection.
    private func flush() {
        flushScheduled = false
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll()
        let results: [Result<String, any Error>]
        do {
            results = try store.putEach(batch.map(\.doc))
        } catch {
            // The transaction failed: nothing of this batch was stored; each request gets the error
            // (ingest sends it again).
            results = batch.map { _ in .failure(error) }
        }
        for (p, result) in zip(batch, results) {
            switch result {
            case .success(let outcome):
                processedCount += 1
                p.conn?.sendMessage(MessageType.storeAck, StoreAckBody(docID: p.docID, outcome: outcome), replyTo: p.requestID)
            case .failure(let error):
                logger.error("put failed", metadata: ["doc_id": "\(p.docID)", "error": "\(error)"])
                p.conn?.sendError(code: "store_failed", message: "storing \(p.docID) failed: \(error)", replyTo: p.requestID)
            }
        }
        if batch.count > 1 { logger.debug("group commit", metadata: ["documents": "\(batch.count)"]) }
    }

    private func inventory() throws -> Envelope {
        do {
            return Wire.envelope(MessageType.storeInventoryReply, InventoryReplyBody(documents: try store.inventory()))
        } catch {
            throw ServiceError(code: "store_failed", message: "inventory failed: \(error)")
        }
    }

    private func query(_ env: Envelope) throws -> Envelope {
        guard let b = try? Wire.decode(env, as: StoreQueryBody.self) else {
            throw ServiceError.badRequest("store.query needs {query}")
        }
        guard let sqlite = store as? SQLiteDocumentStore else {
            throw ServiceError.badRequest("this store does not answer queries")
        }
        do {
            return Wire.envelope(MessageType.storeResult, StoreResultBody(response: try sqlite.query(b.query)))
        } catch {
            throw ServiceError(code: "query_failed", message: "\(error)")
        }
    }
}

