import CLibUV
import Foundation
import GoujiTransport
import GoujiWire
import Testing

/// A short private temp dir (socket paths must stay under ~107 bytes).
func tempDir() throws -> String {
    var template = Array("/tmp/gw-XXXXXX".utf8CString)
    let made: String? = template.withUnsafeMutableBufferPointer { p in
        guard let base = p.baseAddress, mkdtemp(base) != nil else { return nil }
        return String(cString: base)
    }
    guard let made else { throw TransportError.unsafeRuntimeDirectory(path: "/tmp", reason: "mkdtemp failed") }
    return made
}

/// Runs `loop` on this thread with a watchdog; records an issue if it fires.
func runWithWatchdog(_ loop: EventLoop, seconds: UInt64 = 15, sourceLocation: SourceLocation = #_sourceLocation) {
    loop.schedule(afterMilliseconds: seconds * 1000) {
        Issue.record("watchdog: test did not finish in \(seconds) s", sourceLocation: sourceLocation)
        loop.stop()
    }
    loop.run()
}

/// An echo server: replies to each message with type "echo" and the same body.
func startEchoServer(_ loop: EventLoop, _ path: String, maxFrameBytes: Int = 64 << 20,
                     configure: ((FrameConnection) -> Void)? = nil) throws -> UnixServer {
    let server = UnixServer(loop: loop, path: path, maxFrameBytes: maxFrameBytes)
    server.onConnection = { conn in
        configure?(conn)
        conn.onMessage = { [unowned conn] m in conn.send(m.reply(type: "echo", body: m.body)) }
    }
    try server.start()
    return server
}

/// Blocking raw-socket helpers for a peer that misbehaves (runs on its own thread).
struct RawPeer {
    let fd: Int32
    init(path: String) throws {
        let fd = gouji_unix_connect(path)
        guard fd >= 0 else { throw TransportError.uv(operation: "connect", code: fd, message: "raw connect") }
        self.fd = fd
    }
    func write(_ bytes: [UInt8]) {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            off += n
        }
    }
    /// Reads until EOF; returns (frames, sawEOF).
    func readAll() -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return out }
            out.append(contentsOf: buf[0..<n])
        }
    }
    func readFrames(_ count: Int) -> [Envelope] {
        var d = FrameDecoder()
        var got: [Envelope] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while got.count < count {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            d.append(contentsOf: buf[0..<n])
            while let m = try? d.nextMessage() { if case .envelope(let e) = m { got.append(e) } }
        }
        return got
    }
    func close() { Glibc.close(fd) }
}

func frameOf(_ json: String) -> [UInt8] {
    let b = Array(json.utf8)
    let n = UInt32(b.count)
    return [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)] + b
}

func decodeFrames(_ bytes: [UInt8]) -> [Envelope] {
    var d = FrameDecoder()
    d.append(contentsOf: bytes)
    var out: [Envelope] = []
    while let m = try? d.nextMessage() { if case .envelope(let e) = m { out.append(e) } }
    return out
}

final class Box<T>: @unchecked Sendable { var value: T; init(_ v: T) { value = v } }

@Suite(.serialized) struct TransportTests {
    @Test func echoRoundTripWithPeerCredentials() throws {
        let dir = try tempDir()
        let path = dir + "/echo.sock"
        let loop = try EventLoop()
        var serverPeer: PeerCredentials?
        let server = try startEchoServer(loop, path) { serverPeer = $0.peer }
        var reply: Envelope?
        let request = Envelope(type: "ping", body: ["text": "预算 ✓", "n": 42])
        UnixClient.connect(loop: loop, path: path) { r in
            guard case .success(let c) = r else { Issue.record("connect: \(r)"); loop.stop(); return }
            #expect(c.peer?.pid == getpid())
            c.onMessage = { m in reply = m; loop.stop() }
            c.send(request)
        }
        runWithWatchdog(loop)
        _ = server
        #expect(reply?.type == "echo")
        #expect(reply?.replyTo == request.id)
        #expect(reply?.body == request.body)
        #expect(serverPeer?.uid == getuid())
        #expect(serverPeer?.pid == getpid())
        // run() closed everything, including the listening socket file.
        #expect(loop.openResourceCount == 0)
        #expect(access(path, F_OK) != 0)
    }

    @Test func manyFramesPipelinedArriveInOrder() throws {
        let dir = try tempDir()
        let path = dir + "/pipe.sock"
        let loop = try EventLoop()
        let server = try startEchoServer(loop, path)
        let total = 20_000
        var received = 0
        var inOrder = true
        UnixClient.connect(loop: loop, path: path) { r in
            guard case .success(let c) = r else { Issue.record("connect: \(r)"); loop.stop(); return }
            c.onMessage = { m in
                if m.body["n"]?.intValue != Int64(received) { inOrder = false }
                received += 1
                if received == total { loop.stop() }
            }
            let pad = String(repeating: "x", count: 100)
            for i in 0..<total { c.send(Envelope(type: "p", body: ["n": .int(Int64(i)), "pad": .string(pad)])) }
        }
        runWithWatchdog(loop, seconds: 30)
        _ = server
        #expect(received == total)
        #expect(inOrder)
    }

    @Test func requestCorrelatesRepliesTimesOutAndFailsOnClose() throws {
        let dir = try tempDir()
        let path = dir + "/req.sock"
        let loop = try EventLoop()
        var serverConn: FrameConnection?
        let server = UnixServer(loop: loop, path: path)
        server.onConnection = { conn in
            serverConn = conn
            conn.onMessage = { [unowned conn] m in
                // Answer "echo.now" at once, anything else never.
                if m.type == "echo.now" { conn.send(m.reply(type: "echo", body: m.body)) }
            }
        }
        try server.start()
        var outcomes: [String: String] = [:]
        var unsolicited = 0
        UnixClient.connect(loop: loop, path: path) { r in
            guard case .success(let c) = r else { Issue.record("connect"); loop.stop(); return }
            c.onMessage = { _ in unsolicited += 1 }
            c.request(Envelope(type: "echo.now", body: ["k": 1]), timeoutMs: 2000) { res in
                if case .success(let e) = res, let k = e.body["k"]?.intValue { outcomes["now"] = "\(k)" } else { outcomes["now"] = "\(res)" }
            }
            c.request(Envelope(type: "slow"), timeoutMs: 50) { res in
                if case .failure(.timeout(50)) = res { outcomes["slow"] = "timeout" } else { outcomes["slow"] = "\(res)" }
                // Then the server drops the connection while one request waits.
                c.request(Envelope(type: "never"), timeoutMs: 0) { res in
                    if case .failure(.closedBeforeReply) = res { outcomes["never"] = "closed" } else { outcomes["never"] = "\(res)" }
                    loop.stop()
                }
                loop.schedule(afterMilliseconds: 20) { serverConn?.abort() }
            }
        }
        runWithWatchdog(loop)
        _ = server
        #expect(outcomes["now"] == "1")
        #expect(outcomes["slow"] == "timeout")
        #expect(outcomes["never"] == "closed")
        #expect(unsolicited == 0)
    }

    @Test func rawFramesRelayUnchangedIncludingNonEnvelopes() throws {
        let dir = try tempDir()
        let path = dir + "/raw.sock"
        let loop = try EventLoop()
        let server = UnixServer(loop: loop, path: path)
        server.onConnection = { conn in
            conn.onRawFrame = { [unowned conn] body in conn.sendFrame(body: body) }
        }
        try server.start()
        let payloads: [[UInt8]] = [Array("not json at all".utf8), [], Array(repeating: 0xFF, count: 70_000),
                                   Envelope(type: "x", body: ["k": "v"]).jsonBytes()]
        var echoed: [[UInt8]] = []
        UnixClient.connect(loop: loop, path: path) { r in
            guard case .success(let c) = r else { Issue.record("connect"); loop.stop(); return }
            c.onRawFrame = { b in
                echoed.append(Array(b))
                if echoed.count == payloads.count { loop.stop() }
            }
            for p in payloads { p.withUnsafeBytes { _ = c.sendFrame(body: $0) } }
        }
        runWithWatchdog(loop)
        #expect(echoed == payloads)
    }

    @Test func producerIgnoringBackpressureIsCutOffAtTheHardBound() throws {
        let dir = try tempDir()
        let path = dir + "/hard.sock"
        let loop = try EventLoop()
        var closeError: TransportError?
        var refusedAfterClose = false
        let server = UnixServer(loop: loop, path: path)
        server.onConnection = { conn in
            conn.highWaterMark = 64 << 10
            conn.lowWaterMark = 16 << 10
            conn.maxQueuedBytes = 1 << 20
            conn.onClose = { e in
                closeError = e
                refusedAfterClose = !conn.send(Envelope(type: "late"))
                loop.stop()
            }
            // Push 4 MiB in one loop turn (before any write can happen) without looking at isWritable.
            let pad = JSONValue.string(String(repeating: "q", count: 4000))
            for i in 0..<1000 where conn.isOpen { conn.send(Envelope(type: "push", body: ["n": .int(Int64(i)), "p": pad])) }
        }
        try server.start()
        UnixClient.connect(loop: loop, path: path) { _ in }
        runWithWatchdog(loop)
        guard case .queueOverflow(let queued, let limit) = closeError else {
            Issue.record("expected queueOverflow, got \(String(describing: closeError))")
            return
        }
        #expect(limit == 1 << 20)
        #expect(queued > limit && queued < limit + 8192)
        #expect(refusedAfterClose)
    }

    @Test func oversizePrefixGetsErrorFrameThenClose() throws {
        let dir = try tempDir()
        let path = dir + "/big.sock"
        let loop = try EventLoop()
        var closeError: TransportError?
        let server = try startEchoServer(loop, path, maxFrameBytes: 1024) { c in c.onClose = { closeError = $0 } }
        let received = Box<[UInt8]>([])
        let t = Thread {
            guard let peer = try? RawPeer(path: path) else { loop.stop(); return }
            peer.write([0x00, 0x00, 0x10, 0x00] + Array(repeating: 0x20, count: 16))  // 4096 > 1024
            received.value = peer.readAll()  // returns at EOF: the server closed
            peer.close()
            loop.execute { loop.stop() }
        }
        t.start()
        runWithWatchdog(loop)
        _ = server
        let frames = decodeFrames(received.value)
        #expect(frames.count == 1)
        #expect(frames.first?.errorInfo?.code == "frame_too_large")
        #expect(closeError == .frameTooLarge(length: 4096, limit: 1024))
    }

    @Test func invalidJSONGetsErrorReplyAndConnectionStaysUsable() throws {
        let dir = try tempDir()
        let path = dir + "/bad.sock"
        let loop = try EventLoop()
        var router = MessageRouter()
        router.on("ping") { $0.reply(type: "pong") }
        let server = UnixServer(loop: loop, path: path)
        server.onConnection = { conn in
            conn.onMessage = { [unowned conn] m in if let r = router.route(m) { conn.send(r) } }
        }
        try server.start()
        let got = Box<[Envelope]>([])
        let t = Thread {
            guard let peer = try? RawPeer(path: path) else { loop.stop(); return }
            peer.write(frameOf("{not json") + frameOf(#"{"v":7,"type":"ping","id":"old","reply_to":null,"body":{}}"#)
                       + frameOf(#"{"v":1,"type":"nope","id":"u1","reply_to":null,"body":{}}"#)
                       + frameOf(#"{"v":1,"type":"ping","id":"p1","reply_to":null,"body":{}}"#))
            got.value = peer.readFrames(4)
            peer.close()
            loop.execute { loop.stop() }
        }
        t.start()
        runWithWatchdog(loop)
        let f = got.value
        #expect(f.count == 4)
        guard f.count == 4 else { return }
        #expect(f[0].errorInfo?.code == "invalid_json")
        #expect(f[0].replyTo == nil)
        #expect(f[1].errorInfo?.code == "unsupported_version")
        #expect(f[1].replyTo == "old")
        #expect(f[2].errorInfo?.code == "unknown_type")
        #expect(f[2].replyTo == "u1")
        #expect(f[3].type == "pong")
        #expect(f[3].replyTo == "p1")
    }

    @Test func reconnectingClientReconnectsAfterServerRestart() throws {
        let dir = try tempDir()
        let path = dir + "/re.sock"
        let loop = try EventLoop()
        var serverConns: [FrameConnection] = []
        var server: UnixServer? = try startEchoServer(loop, path) { serverConns.append($0) }
        let client = ReconnectingClient(loop: loop, path: path, initialBackoffMs: 10, maxBackoffMs: 80)
        var disconnects = 0
        var echoesAfterRestart = 0
        client.onDisconnect = { disconnects += 1 }
        client.onConnect = { conn in
            conn.onMessage = { m in
                if m.type == "echo" && client.connectCount == 2 {
                    echoesAfterRestart += 1
                    loop.stop()
                }
            }
            if client.connectCount == 1 {
                // Simulate a server crash: drop its connections and its socket, restart 150 ms later
                // (the client retries with backoff meanwhile).
                server?.close()
                server = nil
                for c in serverConns { c.abort() }
                serverConns.removeAll()
                loop.schedule(afterMilliseconds: 150) {
                    server = try? startEchoServer(loop, path)
                    if server == nil { Issue.record("restart failed"); loop.stop() }
                }
            } else {
                conn.send(Envelope(type: "ping", body: ["after": "restart"]))
            }
        }
        client.start()
        runWithWatchdog(loop)
        #expect(client.connectCount == 2)
        #expect(disconnects == 1)
        #expect(echoesAfterRestart == 1)
    }

    @Test func slowReaderKeepsWriterQueueBounded() throws {
        let dir = try tempDir()
        let path = dir + "/bp.sock"
        let loop = try EventLoop()
        let frameBody = String(repeating: "y", count: 4000)
        let total = 5000  // ~20 MB, far above the 256 KiB high-water mark
        var sent = 0
        var maxQueued = 0
        var writableEvents = 0
        var blockedSeen = false
        let startReading = DispatchSemaphore(value: 0)
        let server = UnixServer(loop: loop, path: path)
        server.onConnection = { conn in
            conn.highWaterMark = 256 << 10
            conn.lowWaterMark = 64 << 10
            func pump() {
                while conn.isWritable && sent < total {
                    conn.send(Envelope(type: "push", body: ["n": .int(Int64(sent)), "pad": .string(frameBody)]))
                    sent += 1
                    maxQueued = max(maxQueued, conn.queuedBytes)
                }
            }
            conn.onWritable = {
                writableEvents += 1
                pump()
            }
            pump()
            // After the writer has had time to fill the socket, it must be blocked with a bounded queue.
            loop.schedule(afterMilliseconds: 300) {
                blockedSeen = !conn.isWritable && sent < total
                startReading.signal()
            }
        }
        try server.start()
        let count = Box(0)
        let t = Thread {
            guard let peer = try? RawPeer(path: path) else { loop.stop(); return }
            startReading.wait()
            count.value = peer.readFrames(total).count
            peer.close()
            loop.execute { loop.stop() }
        }
        t.start()
        runWithWatchdog(loop, seconds: 30)
        #expect(blockedSeen)
        #expect(count.value == total)
        #expect(sent == total)
        #expect(writableEvents > 0)
        // Bounded by the high-water mark plus one frame.
        #expect(maxQueued < (256 << 10) + 4200)
    }

    @Test func echoServerStopsReadingWhenItsPeerDoesNotRead() throws {
        let dir = try tempDir()
        let path = dir + "/bp2.sock"
        let loop = try EventLoop()
        var serverConn: FrameConnection?
        var maxQueued = 0
        let server = try startEchoServer(loop, path) { c in
            c.highWaterMark = 128 << 10
            c.lowWaterMark = 32 << 10
            serverConn = c
        }
        let sample = loop.schedule(afterMilliseconds: 5, repeatMilliseconds: 5) {
            maxQueued = max(maxQueued, serverConn?.queuedBytes ?? 0)
        }
        let written = Box(0)
        let t = Thread {
            guard let peer = try? RawPeer(path: path) else { loop.stop(); return }
            // Write requests without ever reading replies, until the socket refuses more for 1 s.
            _ = fcntl(peer.fd, F_SETFL, fcntl(peer.fd, F_GETFL) | O_NONBLOCK)
            let req = frameOf(#"{"v":1,"type":"ping","id":"x","reply_to":null,"body":{"pad":""# + String(repeating: "z", count: 1000) + #""}}"#)
            var off = 0  // a non-blocking write may take part of a frame
            while true {
                let n = req[off...].withUnsafeBytes { Glibc.write(peer.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    written.value += n
                    off = (off + n) % req.count
                    continue
                }
                // Full: wait up to 1 s for the server to take more; once it stops reading, it does not.
                var pfd = pollfd(fd: peer.fd, events: Int16(POLLOUT), revents: 0)
                if poll(&pfd, 1, 1000) == 0 { break }
            }
            peer.close()
            loop.execute { loop.stop() }
        }
        t.start()
        runWithWatchdog(loop, seconds: 30)
        sample.cancel()
        _ = server
        // The peer pushed far more than the bound (the kernel buffers are finite once the server
        // stops reading), and the server's queue never grew past high-water + one read's replies.
        #expect(written.value > 256 << 10)
        #expect(maxQueued < (128 << 10) + (256 << 10) + 2048)
    }

    @Test func socketIsOwnerOnlyAndRuntimeDirIsPrivate() throws {
        let base = try tempDir()
        let run = base + "/run"
        try RuntimeDirectory.ensurePrivate(run)
        var st = stat()
        #expect(lstat(run, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o700)
        try RuntimeDirectory.ensurePrivate(run)  // idempotent
        let loop = try EventLoop()
        let server = UnixServer(loop: loop, path: run + "/s.sock")
        try server.start()
        #expect(stat(run + "/s.sock", &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect((st.st_mode & S_IFMT) == S_IFSOCK)
        // A second server on the same live path is refused.
        let dup = UnixServer(loop: loop, path: run + "/s.sock")
        #expect(throws: TransportError.addressInUse(path: run + "/s.sock")) { try dup.start() }
        server.close()
        // Unsafe directories are refused.
        let open = base + "/open"
        mkdir(open, 0o755)
        chmod(open, 0o755)
        #expect(throws: TransportError.self) { try RuntimeDirectory.ensurePrivate(open) }
        symlink(run, base + "/link")
        #expect(throws: TransportError.self) { try RuntimeDirectory.ensurePrivate(base + "/link") }
        let long = "/tmp/" + String(repeating: "d", count: 120) + ".sock"
        #expect(throws: TransportError.pathTooLong(path: long, limit: 108)) { try UnixServer(loop: loop, path: long).start() }
    }

    @Test func childProcessExitStatusAndSignal() throws {
        let loop = try EventLoop()
        var results: [String: (Int64, Int32)] = [:]
        func done(_ name: String) -> (Int64, Int32) -> Void {
            { s, sig in
                results[name] = (s, sig)
                if results.count == 3 { loop.stop() }
            }
        }
        let a = try ChildProcess.spawn(loop: loop, executable: "/bin/sh", arguments: ["-c", "exit 3"], environment: [:], onExit: done("exit3"))
        let b = try ChildProcess.spawn(loop: loop, executable: "sleep", arguments: ["30"], environment: [:], onExit: done("killed"))
        let c = try ChildProcess.spawn(loop: loop, executable: "/bin/sh", arguments: ["-c", #"test "$GOUJI_T" = "x y""#],
                                       environment: ["GOUJI_T": "x y"], onExit: done("env"))
        #expect(a.pid > 0 && b.pid > 0 && c.pid > 0 && a.pid != b.pid)
        loop.schedule(afterMilliseconds: 50) { b.kill(SIGTERM) }
        runWithWatchdog(loop)
        #expect(results["exit3"]?.0 == 3)
        #expect(results["exit3"]?.1 == 0)
        #expect(results["killed"]?.1 == SIGTERM)
        #expect(results["env"]?.0 == 0)
        #expect(throws: TransportError.self) {
            try ChildProcess.spawn(loop: try EventLoop(), executable: "/nonexistent/gouji", arguments: [], environment: [:]) { _, _ in }
        }
    }

    @Test func requestReplyAndExecuteAcrossThreads() throws {
        let dir = try tempDir()
        let path = dir + "/rr.sock"
        let serverLoop = try EventLoop()
        let ready = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let t = Thread {
            defer { finished.signal() }
            var router = MessageRouter()
            router.on("add") { m in
                let a = m.body["a"]?.intValue ?? 0
                let b = m.body["b"]?.intValue ?? 0
                return m.reply(type: "sum", body: ["sum": .int(a + b)])
            }
            router.on("silent") { _ in nil }
            let server = UnixServer(loop: serverLoop, path: path)
            server.onConnection = { c in c.onMessage = { [unowned c] m in if let r = router.route(m) { c.send(r) } } }
            do { try server.start() } catch { Issue.record("start: \(error)") }
            ready.signal()
            serverLoop.run()
        }
        t.start()
        ready.wait()
        let r = try requestReply(path: path, Envelope(type: "add", body: ["a": 2, "b": 40]), timeoutMs: 5000)
        #expect(r.body["sum"] == .int(42))
        let e = try requestReply(path: path, Envelope(type: "mul"), timeoutMs: 5000)
        #expect(e.errorInfo?.code == "unknown_type")
        #expect(throws: TransportError.timeout(milliseconds: 100)) {
            try requestReply(path: path, Envelope(type: "silent"), timeoutMs: 100)
        }
        #expect(throws: TransportError.self) {
            try requestReply(path: dir + "/nobody.sock", Envelope(type: "add"), timeoutMs: 1000)
        }
        // execute() from another thread runs on the loop thread, in order.
        let seen = Box<[Int]>([])
        let done = DispatchSemaphore(value: 0)
        for i in 0..<1000 {
            serverLoop.execute {
                seen.value.append(i)
                if i == 999 { done.signal() }
            }
        }
        done.wait()
        #expect(seen.value == Array(0..<1000))
        serverLoop.stop()
        finished.wait()
    }
}
