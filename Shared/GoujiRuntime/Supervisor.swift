import Foundation
import GoujiTransport
import GoujiWire
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// goujid's core: spawns the services, restarts crashed ones (backoff, intensity limit), scales
/// parse workers, answers the control socket, pings children, and drains on SIGTERM / `down`.
public final class Supervisor: @unchecked Sendable {
    // Rule: every member is touched on `loop`'s thread only.
    let loop: EventLoop
    let home: GoujiHome
    var config: RuntimeConfig
    let binDir: String
    let configPath: String?
    let logger = Logger(label: "gouji.goujid")
    private var server: UnixServer?

    final class Instance {
        let name: String
        let index: Int
        var state: InstanceState = .starting
        var process: ChildProcess?
        var pid: Int32?
        var startedAt = Monotonic.now()
        var tracker: RestartTracker
        var conn: FrameConnection?
        var lastPong = Monotonic.now()
        var inFlight = 0
        var processed = 0
        var reason: String?
        /// Asked to stop (scale down or shutdown): its exit is not a crash.
        var stopping = false
        init(name: String, index: Int, policy: RestartPolicy) {
            self.name = name
            self.index = index
            tracker = RestartTracker(policy: policy)
        }
    }

    private var instances: [Instance] = []
    private var readyWaiters: [(conn: FrameConnection, id: String, deadline: Double)] = []
    private var shuttingDown = false
    private var stopping = false
    private var shutdownDeadline: Double = 0
    public private(set) var exitCode: Int32 = 0

    public init(loop: EventLoop, home: GoujiHome, config: RuntimeConfig, binDir: String, configPath: String?) {
        self.loop = loop
        self.home = home
        self.config = config
        self.binDir = binDir
        self.configPath = configPath
    }

    /// The folder of the running executable (services are its siblings).
    public static func executableFolder() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        if n > 0 {
            let path = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return (path as NSString).deletingLastPathComponent
        }
        return (CommandLine.arguments[0] as NSString).deletingLastPathComponent
    }

    public func start() throws {
        try home.prepare()
        // A stale socket from a crashed goujid is removed; a live one means gouji is already up.
        if FileManager.default.fileExists(atPath: home.controlSocket) {
            if (try? requestReply(path: home.controlSocket, Wire.envelope(MessageType.ping, Empty()), timeoutMs: 1000)) != nil {
                throw RuntimeError.service("goujid is already running under \(home.root)")
            }
            unlink(home.controlSocket)
        }
        for p in [home.ingestSocket, home.reconcileSocket, home.storeSocket] { unlink(p) }
        server = try UnixServer.listening(loop: loop, path: home.controlSocket, maxFrameBytes: config.maxFrameBytes) { [weak self] conn in
            conn.onClose = { [weak self, weak conn] _ in
                guard let self, let conn else { return }
                self.closed(conn)
            }
            return self?.router(for: conn)
        }
        try? "\(getpid())\n".write(toFile: home.pidFile, atomically: true, encoding: .utf8)

        let policy = config.restartPolicy
        for name in ["store", "reconcile", "ingest"] {
            instances.append(Instance(name: name, index: 0, policy: policy))
        }
        for i in 0..<config.workers { instances.append(Instance(name: "parse", index: i, policy: policy)) }
        for inst in instances { spawn(inst) }

        loop.onSignal(SIGTERM) { [weak self] in self?.beginShutdown(reason: "SIGTERM") }
        loop.onSignal(SIGINT) { [weak self] in self?.beginShutdown(reason: "SIGINT") }
        loop.schedule(afterMilliseconds: UInt64(config.pingIntervalMs), repeatMilliseconds: UInt64(config.pingIntervalMs)) { [weak self] in
            self?.tick()
        }
        logger.info("started", metadata: ["home": "\(home.root)", "workers": "\(config.workers)", "pid": "\(getpid())"])
    }

    // MARK: Children

    private func spawn(_ inst: Instance) {
        var args = ["--instance", "\(inst.index)", "--home", home.root]
        if let c = configPath { args += ["--config", c] }
        var env = ProcessInfo.processInfo.environment
        env["GOUJI_HOME"] = home.root
        let exe = binDir + "/gouji-" + inst.name
        inst.state = .starting
        inst.conn = nil
        inst.startedAt = Monotonic.now()
        inst.lastPong = Monotonic.now()
        do {
            let p = try ChildProcess.spawn(loop: loop, executable: exe, arguments: args, environment: env) { [weak self, weak inst] status, signal in
                guard let self, let inst else { return }
                self.exited(inst, status: Int32(truncatingIfNeeded: status), signal: signal)
            }
            inst.process = p
            inst.pid = p.pid
            logger.info("spawned", metadata: ["service": "\(inst.name)", "instance": "\(inst.index)", "pid": "\(p.pid)"])
        } catch {
            inst.process = nil
            inst.pid = nil
            logger.error("spawn failed", metadata: ["service": "\(inst.name)", "error": "\(error)"])
            exited(inst, status: 127, signal: 0)
        }
    }

    private func exited(_ inst: Instance, status: Int32, signal: Int32) {
        inst.process = nil
        inst.conn = nil
        inst.inFlight = 0
        logger.info("exited", metadata: ["service": "\(inst.name)", "instance": "\(inst.index)", "pid": "\(inst.pid ?? 0)",
                                         "status": "\(status)", "signal": "\(signal)"])
        inst.pid = nil
        if inst.stopping || shuttingDown {
            inst.state = .stopped
            instances.removeAll { $0 === inst && inst.stopping && !self.shuttingDown }
            checkAllStopped()
            return
        }
        switch inst.tracker.childExited(at: Monotonic.now()) {
        case let .restart(afterMs):
            inst.state = .restarting
            inst.reason = signal != 0 ? "killed by signal \(signal)" : "exited with status \(status)"
            loop.schedule(afterMilliseconds: UInt64(max(afterMs, 1))) { [weak self, weak inst] in
                guard let self, let inst, !self.shuttingDown, inst.state == .restarting else { return }
                self.spawn(inst)
            }
        case .giveUp:
            inst.state = .failed
            inst.reason = "more than \(config.restartIntensity) restarts within \(Int(config.restartPeriodS)) s; not restarted"
            logger.error("failed", metadata: ["service": "\(inst.name)", "instance": "\(inst.index)"])
            answerReadyWaiters()
        }
    }

    private func kill(_ inst: Instance, _ sig: Int32) {
        if let p = inst.process { p.kill(sig) }
    }

    // MARK: Control socket

    /// The messages goujid handles on one control connection.
    private func router(for conn: FrameConnection) -> MessageRouter {
        var r = MessageRouter(serviceName: "goujid")
        func on(_ type: String, _ handle: @escaping (Supervisor, Envelope) throws -> Envelope?) {
            r.on(type) { [weak self] env in try self.flatMap { try handle($0, env) } }
        }
        on(MessageType.hello) { s, env in try s.hello(env, conn) }
        on(MessageType.pong) { s, env in s.pong(env, conn); return nil }
        on(MessageType.drained) { s, _ in s.drained(conn); return nil }
        on(MessageType.ping) { _, _ in Wire.envelope(MessageType.pong, PongBody(inFlight: 0, processed: 0)) }
        on(MessageType.status) { s, _ in Wire.envelope(MessageType.statusReply, s.statusBody()) }
        on(MessageType.ready) { s, env in
            let timeout = (try? Wire.decode(env, as: ReadyBody.self))?.timeoutMs ?? 30_000
            s.readyWaiters.append((conn, env.id, Monotonic.now() + Double(timeout) / 1000))
            s.answerReadyWaiters()
            return nil
        }
        on(MessageType.scale) { s, env in try s.scale(env) }
        on(MessageType.down) { s, env in
            conn.sendMessage(MessageType.downAck, StatusBody(services: [], draining: true, pid: getpid()), replyTo: env.id)
            s.beginShutdown(reason: "gouji down")
            return nil
        }
        r.on(MessageType.helloAck) { _ in nil }
        return r
    }

    private func hello(_ env: Envelope, _ conn: FrameConnection) throws -> Envelope? {
        guard let b = try? Wire.decode(env, as: HelloBody.self),
              let inst = instances.first(where: { $0.name == b.name && $0.index == b.instance && $0.pid == b.pid }) else {
            throw ServiceError(code: "unknown_instance", message: "no such supervised instance")
        }
        inst.conn = conn
        inst.lastPong = Monotonic.now()
        if inst.state == .starting { inst.state = shuttingDown ? .draining : .running }
        conn.sendMessage(MessageType.helloAck, Empty(), replyTo: env.id)
        answerReadyWaiters()
        return nil
    }

    private func pong(_ env: Envelope, _ conn: FrameConnection) {
        guard let inst = instances.first(where: { $0.conn === conn }) else { return }
        inst.lastPong = Monotonic.now()
        if let b = try? Wire.decode(env, as: PongBody.self) {
            inst.inFlight = b.inFlight
            inst.processed = b.processed
        }
    }

    private func drained(_ conn: FrameConnection) {
        guard let inst = instances.first(where: { $0.conn === conn }) else { return }
        logger.info("drained", metadata: ["service": "\(inst.name)", "instance": "\(inst.index)"])
        if inst.name == "ingest" && shuttingDown { stopChildren() } else if inst.stopping { kill(inst, SIGTERM) }
    }

    private func scale(_ env: Envelope) throws -> Envelope {
        guard let b = try? Wire.decode(env, as: ScaleBody.self), b.service == "parse", b.count >= 0, b.count <= 64 else {
            throw ServiceError.badRequest("only parse scales: {\"service\":\"parse\",\"count\":0…64}")
        }
        if shuttingDown { throw ServiceError(code: "draining", message: "gouji is shutting down") }
        scaleParse(to: b.count)
        return Wire.envelope(MessageType.scaleReply, b)
    }

    private func closed(_ conn: FrameConnection) {
        readyWaiters.removeAll { $0.conn === conn }
        for inst in instances where inst.conn === conn { inst.conn = nil }
    }

    public func statusBody() -> StatusBody {
        let now = Monotonic.now()
        let rows = instances.sorted { ($0.name, $0.index) < ($1.name, $1.index) }.map { i in
            InstanceStatus(name: i.name, instance: i.index, pid: i.pid, state: i.state,
                           uptimeS: i.pid == nil ? 0 : ((now - i.startedAt) * 10).rounded() / 10,
                           restarts: i.tracker.total, inFlight: i.inFlight, processed: i.processed, reason: i.reason)
        }
        return StatusBody(services: rows, draining: shuttingDown, pid: getpid())
    }

    private func answerReadyWaiters() {
        guard !readyWaiters.isEmpty else { return }
        let ready = instances.allSatisfy { $0.state == .running }
        let failed = instances.contains { $0.state == .failed }
        let now = Monotonic.now()
        var keep: [(conn: FrameConnection, id: String, deadline: Double)] = []
        for w in readyWaiters {
            if ready || failed || now >= w.deadline {
                w.conn.sendMessage(MessageType.readyReply, ReadyReplyBody(ready: ready, services: statusBody().services), replyTo: w.id)
            } else {
                keep.append(w)
            }
        }
        readyWaiters = keep
    }

    private func scaleParse(to count: Int) {
        let workers = instances.filter { $0.name == "parse" && !$0.stopping }.sorted { $0.index < $1.index }
        if count > workers.count {
            var next = (instances.filter { $0.name == "parse" }.map(\.index).max() ?? -1) + 1
            for _ in workers.count..<count {
                let inst = Instance(name: "parse", index: next, policy: config.restartPolicy)
                next += 1
                instances.append(inst)
                spawn(inst)
            }
        } else if count < workers.count {
            for inst in workers[count...] {
                inst.stopping = true
                inst.state = .draining
                if let c = inst.conn { c.sendMessage(MessageType.drain, Empty()) } else { kill(inst, SIGTERM) }
                if inst.process == nil { instances.removeAll { $0 === inst } }
            }
        }
        logger.info("scaled", metadata: ["service": "parse", "count": "\(count)"])
    }

    // MARK: Health and shutdown

    private func tick() {
        let now = Monotonic.now()
        for inst in instances where inst.process != nil {
            if let c = inst.conn { c.sendMessage(MessageType.ping, Empty()) }
            let limit = Double(config.pingTimeoutMs) / 1000
            if !shuttingDown && !inst.stopping && now - inst.lastPong > limit {
                logger.warning("unresponsive; killing", metadata: ["service": "\(inst.name)", "instance": "\(inst.index)"])
                kill(inst, SIGKILL)
                inst.lastPong = now
            }
        }
        answerReadyWaiters()
        if shuttingDown && now >= shutdownDeadline {
            logger.warning("drain timeout; stopping anyway")
            shutdownDeadline = .infinity
            stopChildren()
            for inst in instances where inst.process != nil { kill(inst, SIGKILL) }
        }
    }

    public func beginShutdown(reason: String) {
        guard !shuttingDown else { return }
        shuttingDown = true
        shutdownDeadline = Monotonic.now() + Double(config.drainTimeoutMs) / 1000
        logger.info("draining", metadata: ["reason": "\(reason)"])
        if let ingest = instances.first(where: { $0.name == "ingest" }), let c = ingest.conn, ingest.state == .running {
            ingest.state = .draining
            c.sendMessage(MessageType.drain, Empty())
        } else {
            stopChildren()
        }
    }

    private func stopChildren() {
        guard !stopping else { return }
        stopping = true
        for inst in instances where inst.process != nil {
            inst.state = .draining
            kill(inst, SIGTERM)
        }
        checkAllStopped()
    }

    private func checkAllStopped() {
        guard stopping, instances.allSatisfy({ $0.process == nil }) else { return }
        logger.info("stopped")
        server?.close()
        unlink(home.controlSocket)
        unlink(home.pidFile)
        loop.stop()
    }
}
