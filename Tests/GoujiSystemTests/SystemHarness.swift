import Foundation
import GoujiTestSupport
#if canImport(Glibc)
import Glibc
#endif

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Paths of the repository, its build folder and shared/.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var bin: String {
        if let b = ProcessInfo.processInfo.environment["GOUJI_BIN"], !b.isEmpty { return b }
        return root.path + "/.build/debug"
    }
    static var shared: String { SharedData.root.path }
    static func seeds() throws -> [String] { try SharedData.seedFiles().map(\.path) }
}

/// A blocking client for one request/reply over a gouji Unix socket: 4-byte big-endian length,
/// then the JSON envelope `{"v":1,"type","id","reply_to","body"}`. Written against the wire
/// format, independently of the transport library, so the test checks the format too.
enum SocketClient {
    static func request(_ path: String, type: String, body: [String: Any], timeoutMs: Int = 30_000) throws -> (type: String, body: [String: Any]) {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(errno)") }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeoutMs / 1000, tv_usec: Int((timeoutMs % 1000) * 1000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { throw HarnessError("path too long") }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else { throw HarnessError("connect \(path): \(String(cString: strerror(errno)))") }
        let id = UUID().uuidString
        let env: [String: Any] = ["v": 1, "type": type, "id": id, "body": body]
        let json = try JSONSerialization.data(withJSONObject: env)
        var frame = Data()
        let n = UInt32(json.count).bigEndian
        withUnsafeBytes(of: n) { frame.append(contentsOf: $0) }
        frame.append(json)
        try frame.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let w = send(fd, raw.baseAddress! + off, raw.count - off, Int32(MSG_NOSIGNAL))
                if w <= 0 { throw HarnessError("write: \(errno)") }
                off += w
            }
        }
        let header = try readExactly(fd, 4)
        let len = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        let payload = try readExactly(fd, len)
        guard let obj = try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
              let t = obj["type"] as? String else { throw HarnessError("reply is not an envelope") }
        return (t, obj["body"] as? [String: Any] ?? [:])
    }

    /// Sends every request on one connection without waiting, then reads the replies in order,
    /// calling `onReply(i, type, body)` as each arrives.
    static func pipeline(_ path: String, _ requests: [(type: String, body: [String: Any])],
                         onReply: (Int, String, [String: Any]) -> Void) throws {
        let fd = try connectTo(path, timeoutMs: 60_000)
        let writerDone = DispatchSemaphore(value: 0)
        defer {
            shutdown(fd, Int32(SHUT_RDWR)) // unblocks the writer; close only once it has stopped
            writerDone.wait()
            close(fd)
        }
        var out = Data()
        for r in requests {
            let json = try JSONSerialization.data(withJSONObject: ["v": 1, "type": r.type, "id": UUID().uuidString, "body": r.body] as [String: Any])
            withUnsafeBytes(of: UInt32(json.count).bigEndian) { out.append(contentsOf: $0) }
            out.append(json)
        }
        // Write from a helper thread so a full socket buffer cannot deadlock against our reads.
        let payload = out
        let writer = Thread {
            payload.withUnsafeBytes { raw in
                var off = 0
                while off < raw.count {
                    let w = send(fd, raw.baseAddress! + off, raw.count - off, Int32(MSG_NOSIGNAL))
                    if w <= 0 { break }
                    off += w
                }
            }
            writerDone.signal()
        }
        writer.start()
        for i in 0..<requests.count {
            // The server may die mid-stream (a test kills it): the replies so far are what counts.
            guard let header = try? readExactly(fd, 4) else { return }
            let len = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
            guard let payload = try? readExactly(fd, len) else { return }
            let obj = try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] ?? [:]
            onReply(i, obj["type"] as? String ?? "", obj["body"] as? [String: Any] ?? [:])
        }
    }

    static func connectTo(_ path: String, timeoutMs: Int) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(errno)") }
        var tv = timeval(tv_sec: timeoutMs / 1000, tv_usec: Int((timeoutMs % 1000) * 1000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            throw HarnessError("path too long")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw HarnessError("connect \(path): \(String(cString: strerror(errno)))")
        }
        return fd
    }

    static func readExactly(_ fd: Int32, _ n: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: n)
        var off = 0
        while off < n {
            let r = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + off, n - off) }
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { throw HarnessError("read: \(r == 0 ? "closed" : String(cString: strerror(errno)))") }
            off += r
        }
        return out
    }
}

/// A goujid started from the build folder in a fresh temporary home; stopped in `stop()`.
final class Daemon {
    let home: String
    let process = Process()
    var knownPIDs: Set<Int32> = []
    var logPath = ""

    init(workers: Int, restartIntensity: Int = 20, pingTimeoutMs: Int = 10_000) throws {
        let goujid = Repo.bin + "/goujid"
        guard FileManager.default.isExecutableFile(atPath: goujid) else {
            throw HarnessError("\(goujid) is missing: run `swift build` first")
        }
        home = "/tmp/gj-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let config = """
        [parse]
        workers = \(workers)
        job_timeout_ms = 60000
        [supervisor]
        restart_intensity = \(restartIntensity)
        restart_period_s = 60
        backoff_initial_ms = 50
        backoff_max_ms = 500
        ping_interval_ms = 200
        ping_timeout_ms = \(pingTimeoutMs)
        drain_timeout_ms = 300000
        [wire]
        request_timeout_ms = 5000
        """
        try config.write(toFile: home + "/gouji.toml", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: goujid)
        process.arguments = ["--home", home, "--config", home + "/gouji.toml"]
        var env = ProcessInfo.processInfo.environment
        env["GOUJI_HOME"] = home
        env["GOUJI_LOG_LEVEL"] = "info"
        process.environment = env
        // The log survives the test (in /tmp) so a failure can be read afterwards.
        logPath = NSTemporaryDirectory() + "gouji-systest-" + (home as NSString).lastPathComponent + ".log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    var control: String { home + "/run/goujid.sock" }
    var ingest: String { home + "/run/ingest.sock" }
    var store: String { home + "/run/store.sock" }

    /// Waits until every service said hello.
    func waitReady(seconds: Double = 60) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if !process.isRunning { throw HarnessError("goujid exited with \(process.terminationStatus)") }
            if FileManager.default.fileExists(atPath: control),
               let r = try? SocketClient.request(control, type: "ready", body: ["timeout_ms": 5000], timeoutMs: 10_000),
               r.body["ready"] as? Bool == true {
                _ = try status()
                return
            }
            usleep(50_000)
        }
        throw HarnessError("goujid not ready within \(seconds) s")
    }

    func status() throws -> [[String: Any]] {
        let r = try SocketClient.request(control, type: "status", body: [:])
        let rows = r.body["services"] as? [[String: Any]] ?? []
        for row in rows { if let p = row["pid"] as? Int { knownPIDs.insert(Int32(p)) } }
        return rows
    }

    func pid(of name: String, instance: Int = 0) throws -> Int32? {
        let row = try status().first { $0["name"] as? String == name && $0["instance"] as? Int == instance }
        return (row?["pid"] as? Int).map { Int32($0) }
    }

    func submit(path: String) throws -> String {
        let r = try SocketClient.request(ingest, type: "submit", body: ["path": path])
        guard r.type == "submitted", let id = r.body["doc_id"] as? String else { throw HarnessError("submit refused: \(r.body)") }
        return id
    }

    func submit(bytes: Data, name: String) throws -> String {
        let r = try SocketClient.request(ingest, type: "submit", body: ["name": name, "data_base64": bytes.base64EncodedString()])
        guard r.type == "submitted", let id = r.body["doc_id"] as? String else { throw HarnessError("submit refused: \(r.body)") }
        return id
    }

    /// Long-polls ingest until every document is stored or failed; returns doc id → state.
    func waitDone(_ ids: [String], seconds: Double = 180) throws -> [String: String] {
        let deadline = Date().addingTimeInterval(seconds)
        var done = -1
        while Date() < deadline {
            guard let r = try? SocketClient.request(ingest, type: "progress",
                                                    body: ["doc_ids": ids, "done_known": done, "timeout_ms": 1000], timeoutMs: 5000),
                  r.type == "progress.reply" else {
                usleep(100_000) // ingest itself may be restarting
                continue
            }
            done = r.body["done"] as? Int ?? 0
            if done == ids.count {
                var states: [String: String] = [:]
                for d in r.body["docs"] as? [[String: Any]] ?? [] {
                    if let id = d["doc_id"] as? String { states[id] = d["state"] as? String }
                }
                return states
            }
        }
        throw HarnessError("only \(done)/\(ids.count) documents finished within \(seconds) s; log: \(logPath)")
    }

    /// Polls `status` until `predicate` holds for the row of name/instance (or the time is up).
    func waitFor(_ name: String, instance: Int = 0, seconds: Double = 30,
                 _ predicate: ([String: Any]) -> Bool) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        var last: [String: Any] = [:]
        while Date() < deadline {
            if let row = try status().first(where: { $0["name"] as? String == name && $0["instance"] as? Int == instance }) {
                last = row
                if predicate(row) { return row }
            }
            usleep(50_000)
        }
        throw HarnessError("\(name)/\(instance) never reached the expected state; last: \(last)")
    }

    /// How many of `ids` are stored or failed right now.
    func doneCount(_ ids: [String]) throws -> Int {
        let r = try SocketClient.request(ingest, type: "progress", body: ["doc_ids": ids, "done_known": -1, "timeout_ms": 0])
        guard let done = r.body["done"] as? Int else { throw HarnessError("progress: \(r.type) \(r.body)") }
        return done
    }

    /// doc id → copies held by the store.
    func inventory() throws -> [String: Int] {
        let r = try SocketClient.request(store, type: "store.inventory", body: [:])
        guard r.type == "store.inventory.reply" else { throw HarnessError("inventory: \(r.type) \(r.body)") }
        return (r.body["documents"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
    }

    /// Stops goujid (SIGTERM: it drains); whatever is left after 20 s is SIGKILLed (children included).
    func stop() {
        _ = try? status()
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        for p in knownPIDs { kill(p, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: home)
    }
}

/// Distinct documents made from a seed: the same disclosure with a varied closing note.
func variants(of seed: String, count: Int) throws -> [Data] {
    let text = try String(contentsOfFile: seed, encoding: .utf8)
    return (0..<count).map { Data((text + "\n附注：第 \($0) 份样本。\n").utf8) }
}

/// What one run of the `gouji` executable printed and returned.
struct CLIRun {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the real `gouji` CLI from the build folder, optionally against a home.
enum GoujiCLI {
    static func run(_ arguments: [String], home: String? = nil) throws -> CLIRun {
        let exe = Repo.bin + "/gouji"
        guard FileManager.default.isExecutableFile(atPath: exe) else {
            throw HarnessError("\(exe) is missing: run `swift build` first")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        if let home { env["GOUJI_HOME"] = home }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLIRun(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }
}
