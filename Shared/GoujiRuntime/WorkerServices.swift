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
        let s = UnixServer(loop: loop, path: home.reconcileSocket, maxFrameBytes: config.maxFrameBytes)
        s.onConnection = { [weak self] conn in
            conn.onMessage = { [weak self, weak conn] env in
                guard let self, let conn else { return }
                self.handle(env, conn)
            }
        }
        try s.start()
        server = s
        logger.info("listening", metadata: ["socket": "\(home.reconcileSocket)"])
    }

    private func handle(_ env: Envelope, _ conn: FrameConnection) {
        switch env.type {
        case MessageType.reconcile:
            guard var b = try? Wire.decode(env, as: DocumentBody.self) else {
                conn.sendError(code: "bad_request", message: "reconcile needs {doc_id, document}", replyTo: env.id)
                return
            }
            b.document.findings = reconcileFindings(b.document)
            processedCount += 1
            conn.sendMessage(MessageType.reconciled, b, replyTo: env.id)
        case MessageType.ping:
            conn.sendMessage(MessageType.pong, stats, replyTo: env.id)
        default:
            conn.sendError(code: "unknown_type", message: "gouji-reconcile does not handle \(env.type)", replyTo: env.id)
        }
    }
}

/// Where gouji-store keeps documents. `put` is idempotent on the document id.
public protocol DocumentStoring: AnyObject {
    /// inserted, unchanged or replaced.
    func put(_ doc: BudgetDocument) throws -> String
    /// Every stored document id with its number of copies.
    func inventory() throws -> [String: Int]
}

/// gouji-store: the embedded store behind a socket.
public final class StoreService: SupervisedService, @unchecked Sendable {
    // Rule: every member is touched on `loop`'s thread only.
    let loop: EventLoop
    let home: GoujiHome
    let config: RuntimeConfig
    let store: any DocumentStoring
    let logger = Logger(label: "gouji.store")
    private var server: UnixServer?
    private var processedCount = 0

    public init(loop: EventLoop, home: GoujiHome, config: RuntimeConfig, store: any DocumentStoring) {
        self.loop = loop
        self.home = home
        self.config = config
        self.store = store
    }

    public var stats: PongBody { PongBody(inFlight: 0, processed: processedCount) }
    public func drain(done: @escaping () -> Void) { done() }

    public func start() throws {
        let s = UnixServer(loop: loop, path: home.storeSocket, maxFrameBytes: config.maxFrameBytes)
        s.onConnection = { [weak self] conn in
            conn.onMessage = { [weak self, weak conn] env in
                guard let self, let conn else { return }
                self.handle(env, conn)
            }
        }
        try s.start()
        server = s
        logger.info("listening", metadata: ["socket": "\(home.storeSocket)", "database": "\(home.database)"])
    }

    private func handle(_ env: Envelope, _ conn: FrameConnection) {
        switch env.type {
        case MessageType.storePut:
            guard let b = try? Wire.decode(env, as: DocumentBody.self) else {
                conn.sendError(code: "bad_request", message: "store.put needs {doc_id, document}", replyTo: env.id)
                return
            }
            var doc = b.document
            doc.docID = b.docID
            do {
                let outcome = try store.put(doc)
                processedCount += 1
                conn.sendMessage(MessageType.storeAck, StoreAckBody(docID: b.docID, outcome: outcome), replyTo: env.id)
            } catch {
                logger.error("put failed", metadata: ["doc_id": "\(b.docID)", "error": "\(error)"])
                conn.sendError(code: "store_failed", message: "storing \(b.docID) failed: \(error)", replyTo: env.id)
            }
        case MessageType.storeInventory:
            do {
                conn.sendMessage(MessageType.storeInventoryReply, InventoryReplyBody(documents: try store.inventory()), replyTo: env.id)
            } catch {
                conn.sendError(code: "store_failed", message: "inventory failed: \(error)", replyTo: env.id)
            }
        case MessageType.storeQuery:
            guard let b = try? Wire.decode(env, as: StoreQueryBody.self) else {
                conn.sendError(code: "bad_request", message: "store.query needs {query}", replyTo: env.id)
                return
            }
            guard let sqlite = store as? SQLiteDocumentStore else {
                conn.sendError(code: "bad_request", message: "this store does not answer queries", replyTo: env.id)
                return
            }
            do {
                conn.sendMessage(MessageType.storeResult, StoreResultBody(response: try sqlite.query(b.query)), replyTo: env.id)
            } catch {
                conn.sendError(code: "query_failed", message: "\(error)", replyTo: env.id)
            }
        case MessageType.ping:
            conn.sendMessage(MessageType.pong, stats, replyTo: env.id)
        default:
            conn.sendError(code: "unknown_type", message: "gouji-store does not handle \(env.type)", replyTo: env.id)
        }
    }
}

extension FileDocumentStore: DocumentStoring {}
