import Foundation
import GoujiTransport
import GoujiWire

/// Message-layer benchmark: ping-pong round trips/s and pipelined messages/s between two
/// processes over a Unix socket, 100 B and 4 KiB bodies, Swift transport beside the C libuv pair.
///
/// The Swift figures run this process's `FrameConnection` client against `gouji-bench
/// --echo-server PATH` (a separate process), and every message is fully decoded into an `Envelope`
/// and re-encoded on both sides. The C figures run `c-echo client` against `c-echo server`, which
/// only frame (they never parse the JSON): the C pair is this machine's floor, not a like-for-like
/// codec.
enum WireBench {
    struct Workload {
        var pipelined: Bool
        var bodyBytes: Int
        var maxCount: Int
        var maxSeconds: Double
        var label: String { "\(pipelined ? "pipelined msgs/s" : "ping-pong round trips/s"), \(bodyBytes == 100 ? "100 B" : "4 KiB") body" }
    }

    static let window = 512
    static let workloads: [Workload] = [
        Workload(pipelined: false, bodyBytes: 100, maxCount: 100_000, maxSeconds: 2),
        Workload(pipelined: false, bodyBytes: 4096, maxCount: 100_000, maxSeconds: 2),
        Workload(pipelined: true, bodyBytes: 100, maxCount: 2_000_000, maxSeconds: 2),
        Workload(pipelined: true, bodyBytes: 4096, maxCount: 400_000, maxSeconds: 2),
    ]

    // MARK: echo server mode

    /// `gouji-bench --echo-server PATH`: echoes every envelope back as a reply with the same body.
    static func runEchoServer(path: String) -> Int32 {
        do {
            let loop = try EventLoop()
            let server = UnixServer(loop: loop, path: path)
            server.onConnection = { conn in
                conn.onMessage = { [unowned conn] m in conn.send(m.reply(type: "echo", body: m.body)) }
            }
            try server.start()
            loop.onSignal(SIGTERM) { loop.stop() }
            loop.onSignal(SIGINT) { loop.stop() }
            FileHandle.standardOutput.write(Data("ready\n".utf8))
            loop.run()
            return 0
        } catch {
            FileHandle.standardError.write(Data("echo server: \(error)\n".utf8))
            return 1
        }
    }

    // MARK: Swift client

    struct Result { var messages: Int; var seconds: Double; var rate: Double { seconds > 0 ? Double(messages) / seconds : 0 } }

    static func runSwiftClient(path: String, _ w: Workload) throws -> Result {
        let loop = try EventLoop()
        let body: JSONValue = ["pad": .string(String(repeating: "x", count: max(0, w.bodyBytes - 10)))]
        let clock = ContinuousClock()
        var start = clock.now
        var end: ContinuousClock.Instant?
        var sent = 0
        var received = 0
        var failure: TransportError?
        UnixClient.connect(loop: loop, path: path) { r in
            switch r {
            case .failure(let e):
                failure = e
                loop.stop()
            case .success(let conn):
                func sendOne() {
                    conn.send(Envelope(type: "ping", body: body))
                    sent += 1
                }
                conn.onMessage = { m in
                    guard m.type == "echo" else { return }
                    received += 1
                    if received >= w.maxCount || (received & 255 == 0 || !w.pipelined) && (clock.now - start) >= .milliseconds(Int(w.maxSeconds * 1000)) {
                        if end == nil { end = clock.now }
                        conn.abort()
                        loop.stop()
                        return
                    }
                    if !w.pipelined || sent < w.maxCount { sendOne() }
                }
                conn.onClose = { e in
                    if end == nil { failure = e ?? .closedBeforeReply; loop.stop() }
                }
                start = clock.now
                for _ in 0..<(w.pipelined ? min(window, w.maxCount) : 1) { sendOne() }
            }
        }
        loop.run()
        if let failure { throw failure }
        let d = (end ?? clock.now) - start
        let secs = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return Result(messages: received, seconds: secs)
    }

    // MARK: processes

    /// Starts `executable arguments` and waits for its "ready" line.
    static func startServer(_ executable: String, _ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        var line = Data()
        while true {
            let b = out.fileHandleForReading.readData(ofLength: 1)
            if b.isEmpty || b == Data("\n".utf8) { break }
            line.append(b)
        }
        guard String(decoding: line, as: UTF8.self) == "ready" else {
            p.terminate()
            throw BenchError.serverDidNotStart(executable)
        }
        return p
    }

    enum BenchError: Error, CustomStringConvertible {
        case serverDidNotStart(String)
        case badClientOutput(String)
        var description: String {
            switch self {
            case .serverDidNotStart(let e): return "echo server \(e) did not print 'ready'; build it (make bench) and check its stderr"
            case .badClientOutput(let s): return "c-echo client printed no RESULT line: \(s)"
            }
        }
    }

    static func runCClient(_ cEcho: String, path: String, _ w: Workload) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: cEcho)
        p.arguments = ["client", path, w.pipelined ? "pipelined" : "pingpong", "\(w.bodyBytes)", "\(w.maxCount)",
                       "\(w.maxSeconds)", "\(window)"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("RESULT") }) else {
            throw BenchError.badClientOutput(text)
        }
        let f = line.split(separator: " ")
        guard f.count >= 6, let n = Int(f[3]), let s = Double(f[4]) else { throw BenchError.badClientOutput(text) }
        return Result(messages: n, seconds: s)
    }

    static func selfExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Runs every workload for Swift (and C when `cEcho` is given) and prints the table.
    static func run(cEcho: String?) throws {
        let dir = NSTemporaryDirectory() + "gouji-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let swiftPath = dir + "/swift.sock"
        let cPath = dir + "/c.sock"
        let swiftServer = try startServer(selfExecutable(), ["--echo-server", swiftPath])
        defer { swiftServer.terminate(); swiftServer.waitUntilExit() }
        var cServer: Process?
        if let cEcho { cServer = try startServer(cEcho, ["server", cPath]) }
        defer { cServer?.terminate(); cServer?.waitUntilExit() }

        print("Message layer: two processes over a Unix socket (window \(window) for pipelined; each run ≤ count and ≤ 2 s)")
        print(pad("workload", 40) + pad("Swift", 14, right: true) + pad("C libuv", 14, right: true) + pad("Swift/C", 10, right: true))
        for w in workloads {
            let s = try runSwiftClient(path: swiftPath, w)
            var cText = "-"
            var ratio = "-"
            if let cEcho {
                let c = try runCClient(cEcho, path: cPath, w)
                cText = fmt(c.rate)
                ratio = c.rate > 0 ? String(format: "%.2f", s.rate / c.rate) : "-"
            }
            print(pad(w.label, 40) + pad(fmt(s.rate), 14, right: true) + pad(cText, 14, right: true) + pad(ratio, 10, right: true))
        }
    }

    static func fmt(_ r: Double) -> String {
        r >= 1e6 ? String(format: "%.2f M", r / 1e6) : r >= 1e3 ? String(format: "%.1f k", r / 1e3) : String(format: "%.0f", r)
    }

    static func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        let k = s.count
        if k >= n { return s + " " }
        let sp = String(repeating: " ", count: n - k)
        return right ? sp + s : s + sp
    }
}
