import Foundation
import GoujiTransport
import GoujiWire
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Options every service executable takes from goujid: `--instance N` plus config overrides.
public struct ServiceOptions: Sendable {
    public var home: GoujiHome
    public var instance = 0
    public var config = RuntimeConfig()

    /// Reads `--instance N`, `--config PATH` and `--home PATH` (else GOUJI_HOME).
    public static func parse(_ args: [String] = Array(CommandLine.arguments.dropFirst())) throws(RuntimeError) -> ServiceOptions {
        var home: String?
        var instance = 0
        var configPath: String?
        var i = 0
        while i < args.count {
            let a = args[i]
            let value: String? = i + 1 < args.count ? args[i + 1] : nil
            switch a {
            case "--instance":
                guard let v = value, let n = Int(v) else { throw .service("--instance needs a number") }
                instance = n
                i += 1
            case "--config":
                guard let v = value else { throw .service("--config needs a path") }
                configPath = v
                i += 1
            case "--home":
                guard let v = value else { throw .service("--home needs a path") }
                home = v
                i += 1
            default:
                throw .service("unknown argument \(a); services take --instance N, --config PATH, --home PATH")
            }
            i += 1
        }
        let h = home.map { GoujiHome(root: $0) } ?? GoujiHome.resolve()
        var o = ServiceOptions(home: h)
        o.instance = instance
        if let p = configPath { o.config = try RuntimeConfig.load(path: p) }
        return o
    }

    public init(home: GoujiHome) { self.home = home }
}

/// What a service tells goujid in a pong, and how it drains.
public protocol SupervisedService: AnyObject {
    var stats: PongBody { get }
    /// Stop taking new work; call `done` once in-flight work is finished.
    func drain(done: @escaping () -> Void)
}

/// Installs swift-log once per process: one line per event on stderr, with the service's name.
public enum RuntimeLogging {
    public static func bootstrap() {
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = ProcessInfo.processInfo.environment["GOUJI_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
            return h
        }
    }
}

/// A service's link to goujid: says hello, answers pings with its stats, drains on request,
/// and exits the process when goujid is gone (a service never outlives its supervisor).
public final class ControlLink: @unchecked Sendable {
    // Rule: every member is touched on `loop`'s thread only.
    let loop: EventLoop
    let name: String
    let instance: Int
    let logger: Logger
    weak var service: (any SupervisedService)?
    private var client: ReconnectingClient?
    private var connected = false
    private var everConnected = false
    private var lostAt: Double?

    public init(loop: EventLoop, home: GoujiHome, name: String, instance: Int, service: any SupervisedService, maxFrameBytes: Int) {
        self.loop = loop
        self.name = name
        self.instance = instance
        self.service = service
        logger = Logger(label: "gouji.\(name)")
        let c = ReconnectingClient.make(loop: loop, path: home.controlSocket, maxFrameBytes: maxFrameBytes)
        client = c
        c.onConnect = { [weak self] conn in self?.connectedTo(conn) }
        c.onDisconnect = { [weak self] in self?.disconnected() }
    }

    public func start() {
        client?.start()
        // Without goujid for 3 s, the service stops (orphans would hold sockets and jobs).
        loop.schedule(afterMilliseconds: 1000, repeatMilliseconds: 1000) { [weak self] in self?.checkOrphan() }
    }

    private func connectedTo(_ conn: FrameConnection) {
        connected = true
        everConnected = true
        lostAt = nil
        conn.serve(router(for: conn))
        conn.sendMessage(MessageType.hello, HelloBody(name: name, instance: instance, pid: getpid()))
    }

    private func disconnected() {
        connected = false
        if lostAt == nil { lostAt = Monotonic.now() }
    }

    private func checkOrphan() {
        let since = lostAt ?? (everConnected ? nil : startedAt)
        if let since, Monotonic.now() - since > 3 {
            logger.warning("goujid is gone; exiting", metadata: ["service": "\(name)", "instance": "\(instance)"])
            exit(0)
        }
    }

    private let startedAt = Monotonic.now()

    /// What goujid may send a service: pings, drain requests and the hello acknowledgement.
    private func router(for conn: FrameConnection) -> MessageRouter {
        var r = MessageRouter(serviceName: name)
        r.on(MessageType.ping) { [weak self] _ in
            self.map { Wire.envelope(MessageType.pong, $0.service?.stats ?? PongBody(inFlight: 0, processed: 0)) }
        }
        r.on(MessageType.drain) { [weak self, weak conn] env in
            let id = env.id
            self?.service?.drain { [weak conn] in conn?.sendMessage(MessageType.drained, Empty(), replyTo: id) }
            return nil
        }
        r.on(MessageType.helloAck) { _ in nil }
        return r
    }
}

/// Monotonic seconds (CLOCK_MONOTONIC).
public enum Monotonic {
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// Signal hygiene for daemons.
public enum Signals {
    /// Unblocks every signal for this process. A process started from a thread that blocks
    /// signals (libdispatch workers do, and posix_spawn copies the mask) would otherwise never see
    /// SIGCHLD or SIGTERM, so children would not be reaped and drains never start.
    ///
    /// Also ignores SIGPIPE: a write to a peer that just died must be an EPIPE error the
    /// transport handles, not a signal that kills the process.
    public static func unblockAll() {
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
        signal(SIGPIPE, SIG_IGN)
    }
}
