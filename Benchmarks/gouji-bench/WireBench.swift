import Foundation
import GoujiModel
import GoujiParse
import GoujiTransport
import GoujiWire

/// Message-layer benchmark: ping-pong round trips/s and pipelined messages/s between two
/// processes over a Unix socket, 100 B and 4 KiB bodies, Swift transport beside the C libuv pair.
///
/// Swift figures: this process's `FrameConnection` client against `gouji-bench --echo-server PATH`
/// (a separate process), two ways:
/// - "envelope": every message is decoded into an `Envelope` and re-encoded on both sides (the
///   full path services use: transport + JSON codec + a fresh reply id);
/// - "raw": frames are echoed as bytes (`onRawFrame`/`sendFrame`), the same work the C pair does:
///   the transport alone (framing, batching, libuv), without the JSON codec.
/// C figures: `c-echo client` against `c-echo server`, which only frame (never parse JSON).
enum WireBench {
    struct Workload {
        var pipelined: Bool
        var bodyBytes: Int
        var maxCount: Int
        var maxSeconds: Double
        var label: String { "\(pipelined ? "pipelined msg/s" : "ping-pong rt/s"), \(bodyBytes == 100 ? "100 B" : "4 KiB") body" }
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
    static func runEchoServer(path: String, raw: Bool = CommandLine.arguments.contains("--raw")) -> Int32 {
        do {
            let loop = try EventLoop()
            let server = UnixServer(loop: loop, path: path)
            server.onConnection = { conn in
                if raw {
                    conn.onRawFrame = { [unowned conn] body in conn.sendFrame(body: body) }
                } else {
                    conn.onMessage = { [unowned conn] m in conn.send(m.reply(type: "echo", body: m.body)) }
                }
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

    static func runSwiftClient(path: String, _ w: Workload, raw: Bool) throws -> Result {
        let loop = try EventLoop()
        let body: JSONValue = ["pad": .string(String(repeating: "x", count: max(0, w.bodyBytes - 10)))]
        let rawJSON = Envelope(type: "ping", id: "c", body: body).jsonBytes()
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
                    if raw {
                        rawJSON.withUnsafeBytes { _ = conn.sendFrame(body: $0) }
                    } else {
                        conn.send(Envelope(type: "ping", body: body))
                    }
                    sent += 1
                }
                func gotOne() {
                    received += 1
                    if received >= w.maxCount || (received & 255 == 0 || !w.pipelined) && (clock.now - start) >= .milliseconds(Int(w.maxSeconds * 1000)) {
                        if end == nil { end = clock.now }
                        conn.abort()
                        loop.stop()
                        return
                    }
                    if !w.pipelined || sent < w.maxCount { sendOne() }
                }
                if raw {
                    conn.onRawFrame = { _ in gotOne() }
                } else {
                    conn.onMessage = { m in if m.type == "echo" { gotOne() } }
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
        p.standardError = FileHandle.nullDevice  // its log lines would interleave with the table
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
        runCodec()
        runDocumentCodec()
        let dir = NSTemporaryDirectory() + "gouji-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let swiftPath = dir + "/swift.sock"
        let rawPath = dir + "/raw.sock"
        let cPath = dir + "/c.sock"
        let swiftServer = try startServer(selfExecutable(), ["--echo-server", swiftPath])
        defer { swiftServer.terminate(); swiftServer.waitUntilExit() }
        let rawServer = try startServer(selfExecutable(), ["--echo-server", rawPath, "--raw"])
        defer { rawServer.terminate(); rawServer.waitUntilExit() }
        var cServer: Process?
        if let cEcho { cServer = try startServer(cEcho, ["server", cPath]) }
        defer { cServer?.terminate(); cServer?.waitUntilExit() }

        emit("Message layer: two processes over a Unix socket (pipelined window \(window); each run ≤ count and ≤ 2 s)")
        emit("  envelope = Swift transport + JSON envelope decode/encode on both sides; raw = Swift transport echoing frame bytes (as the C pair does)")
        emit(pad("workload", 30) + pad("Swift envelope", 16, right: true) + pad("Swift raw", 12, right: true)
              + pad("C libuv", 12, right: true) + pad("env/C", 8, right: true) + pad("raw/C", 8, right: true))
        for w in workloads {
            let s = try runSwiftClient(path: swiftPath, w, raw: false)
            let r = try runSwiftClient(path: rawPath, w, raw: true)
            var cText = "-", envRatio = "-", rawRatio = "-"
            if let cEcho {
                let c = try runCClient(cEcho, path: cPath, w)
                cText = fmt(c.rate)
                if c.rate > 0 {
                    envRatio = String(format: "%.2f", s.rate / c.rate)
                    rawRatio = String(format: "%.2f", r.rate / c.rate)
                }
            }
            emit(pad(w.label, 30) + pad(fmt(s.rate), 16, right: true) + pad(fmt(r.rate), 12, right: true)
                  + pad(cText, 12, right: true) + pad(envRatio, 8, right: true) + pad(rawRatio, 8, right: true))
        }
    }

    /// One line to stdout, unbuffered, so the table appears as it is measured under `make bench`.
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
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

extension WireBench {
    /// In-process codec cost (no sockets): decode one envelope frame and encode its reply, per
    /// message, for the 100 B and 4 KiB bodies; also Foundation's JSONDecoder on the same bytes.
    static func runCodec() {
        struct Wire: Decodable { var v: Int; var type: String; var id: String; var reply_to: String?; var body: [String: String] }
        for size in [100, 4096] {
            let body: JSONValue = ["pad": .string(String(repeating: "x", count: size - 10))]
            let frame = Envelope(type: "ping", id: "c", body: body).jsonBytes()
            let n = size == 100 ? 300_000 : 60_000
            var out: [UInt8] = []
            out.reserveCapacity(8192)
            let clock = ContinuousClock()
            var ok = 0
            let t = clock.measure {
                for _ in 0..<n {
                    if case .envelope(let e) = frame.withUnsafeBytes({ Envelope.decode(raw: $0) }) {
                        out.removeAll(keepingCapacity: true)
                        e.reply(type: "echo", body: e.body).encodeFrame(into: &out)
                        ok += 1
                    }
                }
            }
            let data = Data(frame)
            let m = n / 3
            let tf = clock.measure {
                for _ in 0..<m { if (try? JSONDecoder().decode(Wire.self, from: data)) != nil { ok += 1 } }
            }
            let us = Double(t.components.attoseconds) / 1e12 / Double(n) + Double(t.components.seconds) * 1e6 / Double(n)
            let usf = Double(tf.components.attoseconds) / 1e12 / Double(m) + Double(tf.components.seconds) * 1e6 / Double(m)
            emit(String(format: "codec, %@ body: decode+reply+encode %.2f µs/msg (%.0f k/s); Foundation JSONDecoder decode only %.2f µs/msg",
                         size == 100 ? "100 B" : "4 KiB", us, 1e3 / us, usf) + (ok > 0 ? "" : " (no output)"))
        }
    }

    /// What every hop of a document costs the services: a frame carrying a parsed seed
    /// (`{doc_id, document}`, 40-55 KB of JSON) decoded into an envelope and encoded again, and the
    /// document decoded from the envelope's body into the model (what reconcile and store do).
    static func runDocumentCodec() {
        let dir = ParseBench.sharedRoot().appendingPathComponent("seeds")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        let frames: [[UInt8]] = names.compactMap { name in
            guard let data = try? Data(contentsOf: dir.appendingPathComponent(name)) else { return nil }
            let doc = BudgetParser().parse(text: String(decoding: data, as: UTF8.self), source: Source(name: name, format: .text))
            let body: JSONValue = ["doc_id": "sha256:bench", "document": (try? JSONValue(encoding: doc)) ?? .null]
            return Envelope(type: "work.done", id: "d", body: body).jsonBytes()
        }
        guard !frames.isEmpty else {
            emit("codec, document frames: no seeds under \(dir.path) (set GOUJI_SHARED)")
            return
        }
        let rounds = 200
        var out: [UInt8] = []
        out.reserveCapacity(1 << 17)
        var decodeTime = Duration.zero, encodeTime = Duration.zero, typedTime = Duration.zero
        var ok = 0
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            for frame in frames {
                var env: Envelope?
                decodeTime += clock.measure {
                    if case .envelope(let e) = frame.withUnsafeBytes({ Envelope.decode(raw: $0) }) { env = e }
                }
                guard let e = env else { continue }
                encodeTime += clock.measure {
                    out.removeAll(keepingCapacity: true)
                    e.encodeFrame(into: &out)
                }
                var doc: BudgetDocument?
                typedTime += clock.measure {
                    if case .object(let o) = e.body, let d = o["document"] {
                        doc = try? JSONValueDecoder().decode(BudgetDocument.self, from: d)
                    }
                }
                ok += out.count > 0 && doc != nil ? 1 : 0
            }
        }
        let bytes = Double(frames.reduce(0) { $0 + $1.count } * rounds)
        func us(_ d: Duration) -> Double {
            (Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12) / Double(rounds * frames.count)
        }
        func mbps(_ d: Duration) -> Double { bytes / 1e6 / (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) }
        emit(String(format: "codec, document frames (%.0f KB average): decode %.0f µs/doc (%.0f MB/s), encode %.0f µs/doc (%.0f MB/s), "
                    + "body to BudgetDocument %.0f µs/doc",
                    bytes / Double(rounds * frames.count) / 1e3, us(decodeTime), mbps(decodeTime), us(encodeTime), mbps(encodeTime),
                    us(typedTime))
             + (ok == rounds * frames.count ? "" : " (some frames failed)"))
    }
}
