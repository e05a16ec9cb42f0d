import CLibUV
import Foundation
import GoujiWire
import Logging

/// Listens on a Unix socket; each accepted peer of the same uid becomes a `FrameConnection`.
/// Loop thread only (see `EventLoop`).
public final class UnixServer: LoopResource, @unchecked Sendable {
    public let loop: EventLoop
    public let path: String
    public let maxFrameBytes: Int
    /// Each accepted connection (from the owning user only). Set `onMessage`/`onClose` here.
    public var onConnection: ((FrameConnection) -> Void)?
    private var handle: UnsafeMutablePointer<uv_pipe_t>?
    /// Connections refused because the peer's uid was not ours.
    public private(set) var rejectedPeers = 0

    public init(loop: EventLoop, path: String, maxFrameBytes: Int = FrameDecoder.defaultMaxFrameBytes) {
        self.loop = loop
        self.path = path
        self.maxFrameBytes = maxFrameBytes
    }

    /// Binds and listens; the socket file is chmod 0600. A stale socket file (no live listener) is
    /// replaced; a live one is `addressInUse`.
    public func start() throws {
        guard handle == nil else { return }
        let limit = Int(gouji_sun_path_capacity())
        guard path.utf8.count < limit else { throw TransportError.pathTooLong(path: path, limit: limit) }
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFSOCK else {
                throw TransportError.uv(operation: "bind \(path)", code: -EEXIST, message: "a non-socket file exists at the socket path")
            }
            let fd = gouji_unix_connect(path)
            if fd >= 0 {
                Foundation.close(fd)
                throw TransportError.addressInUse(path: path)
            }
            unlink(path)
        }
        let h = UnsafeMutablePointer<uv_pipe_t>.allocate(capacity: 1)
        uv_pipe_init(loop.raw, h, 0)
        h.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        var rc = uv_pipe_bind(h, path)
        if rc == 0 { rc = chmod(path, 0o600) == 0 ? 0 : -errno }
        if rc == 0 {
            rc = uv_listen(asStream(h), 256) { s, status in
                guard let s, let d = s.pointee.data else { return }
                Unmanaged<UnixServer>.fromOpaque(d).takeUnretainedValue().accept(status)
            }
        }
        if rc != 0 {
            closeHandle(h) {}
            throw TransportError.uv("listen on \(path)", rc)
        }
        handle = h
        loop.register(self)
        loop.logger.info("listening", metadata: ["path": "\(path)"])
    }

    private func accept(_ status: Int32) {
        guard let server = handle else { return }
        guard status == 0 else {
            loop.logger.error("accept failed", metadata: ["error": "\(TransportError.uv("accept", status))"])
            return
        }
        let client = UnsafeMutablePointer<uv_pipe_t>.allocate(capacity: 1)
        uv_pipe_init(loop.raw, client, 0)
        let rc = uv_accept(asStream(server), asStream(client))
        guard rc == 0 else {
            closeHandle(client) {}
            loop.logger.error("accept failed", metadata: ["error": "\(TransportError.uv("uv_accept", rc))"])
            return
        }
        var fd: uv_os_fd_t = -1
        let creds: PeerCredentials? = uv_fileno(asHandle(client), &fd) == 0 ? PeerCredentials.of(fd: fd) : nil
        guard let creds, creds.uid == getuid() else {
            rejectedPeers += 1
            loop.logger.warning("rejected peer: not the owning user", metadata: [
                "path": "\(path)", "peer": "\(creds?.description ?? "unknown")"])
            closeHandle(client) {}
            return
        }
        let conn = FrameConnection(loop: loop, pipe: client, maxFrameBytes: maxFrameBytes, serverSide: true)
        onConnection?(conn)
    }

    /// Stops accepting and removes the socket file. Open connections stay open.
    public func close() {
        guard let h = handle else { return }
        handle = nil
        unlink(path)
        closeHandle(h) { [self] in loop.unregister(self) }
    }

    func shutdownClose() { close() }
}

/// One-shot client connect.
public enum UnixClient {
    /// Connects to `path`; `completion` runs on the loop thread with the connection or the error.
    /// A server of another uid is refused (`peerRejected`).
    public static func connect(loop: EventLoop, path: String, maxFrameBytes: Int = FrameDecoder.defaultMaxFrameBytes,
                               _ completion: @escaping (Result<FrameConnection, TransportError>) -> Void) {
        let limit = Int(gouji_sun_path_capacity())
        guard path.utf8.count < limit else {
            completion(.failure(.pathTooLong(path: path, limit: limit)))
            return
        }
        guard !loop.isShuttingDown else {
            completion(.failure(.uv("connect \(path)", UV_ECANCELED.rawValue)))
            return
        }
        let attempt = ConnectAttempt(loop: loop, path: path, maxFrameBytes: maxFrameBytes, completion: completion)
        attempt.start()
    }
}

final class ConnectAttempt: LoopResource {
    let loop: EventLoop
    let path: String
    let maxFrameBytes: Int
    var completion: ((Result<FrameConnection, TransportError>) -> Void)?
    var pipe: UnsafeMutablePointer<uv_pipe_t>?
    let req: UnsafeMutablePointer<uv_connect_t>

    init(loop: EventLoop, path: String, maxFrameBytes: Int, completion: @escaping (Result<FrameConnection, TransportError>) -> Void) {
        self.loop = loop
        self.path = path
        self.maxFrameBytes = maxFrameBytes
        self.completion = completion
        self.req = .allocate(capacity: 1)
    }

    deinit { req.deallocate() }

    func start() {
        let p = UnsafeMutablePointer<uv_pipe_t>.allocate(capacity: 1)
        uv_pipe_init(loop.raw, p, 0)
        pipe = p
        req.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        loop.register(self)
        uv_pipe_connect(req, p, path) { req, status in
            guard let req, let d = req.pointee.data else { return }
            Unmanaged<ConnectAttempt>.fromOpaque(d).takeUnretainedValue().done(status)
        }
    }

    private func done(_ status: Int32) {
        guard let p = pipe else { return }
        pipe = nil
        let cb = completion
        completion = nil
        if status != 0 || loop.isShuttingDown {
            closeHandle(p) { [self] in loop.unregister(self) }
            cb?(.failure(.uv("connect \(path)", status != 0 ? status : UV_ECANCELED.rawValue)))
            return
        }
        let conn = FrameConnection(loop: loop, pipe: p, maxFrameBytes: maxFrameBytes, serverSide: false)
        loop.unregister(self)
        if let peer = conn.peer, peer.uid != getuid() {
            conn.abort()
            cb?(.failure(.peerRejected(uid: peer.uid)))
            return
        }
        cb?(.success(conn))
    }

    func shutdownClose() {
        // Closing the pipe cancels the connect request (its callback runs with ECANCELED and finds
        // `pipe` nil); the close callback frees the handle.
        guard let p = pipe else { return }
        pipe = nil
        let cb = completion
        completion = nil
        closeHandle(p) { [self] in loop.unregister(self) }
        cb?(.failure(.uv("connect \(path)", UV_ECANCELED.rawValue)))
    }
}

/// Keeps one connection to `path` up: connects, and after a failure or a disconnect retries with
/// exponential backoff (initial, doubling, capped at max; reset after a successful connect).
/// Loop thread only (see `EventLoop`).
public final class ReconnectingClient: LoopResource, @unchecked Sendable {
    public let loop: EventLoop
    public let path: String
    public let initialBackoffMs: UInt64
    public let maxBackoffMs: UInt64
    public var maxFrameBytes = FrameDecoder.defaultMaxFrameBytes
    /// Each new connection (set its `onMessage` here). Do not set its `onClose` to detect loss: use
    /// `onDisconnect` (both work; `onClose` is the connection's own).
    public var onConnect: ((FrameConnection) -> Void)?
    public var onDisconnect: (() -> Void)?
    /// The current connection, if connected.
    public private(set) var connection: FrameConnection?
    /// Connections made so far (the first connect counts).
    public private(set) var connectCount = 0
    private var backoff: UInt64
    private var running = false
    private var connecting = false
    private var retryTimer: LoopTimer?

    public init(loop: EventLoop, path: String, initialBackoffMs: UInt64 = 50, maxBackoffMs: UInt64 = 2000) {
        self.loop = loop
        self.path = path
        self.initialBackoffMs = max(1, initialBackoffMs)
        self.maxBackoffMs = max(initialBackoffMs, maxBackoffMs)
        self.backoff = max(1, initialBackoffMs)
    }

    public func start() {
        guard !running, !loop.isShuttingDown else { return }
        running = true
        loop.register(self)
        attempt()
    }

    public func stop() {
        guard running else { return }
        running = false
        retryTimer?.cancel()
        retryTimer = nil
        connection?.close()
        connection = nil
        loop.unregister(self)
    }

    private func attempt() {
        guard running, !connecting, connection == nil else { return }
        connecting = true
        UnixClient.connect(loop: loop, path: path, maxFrameBytes: maxFrameBytes) { [weak self] result in
            guard let self else {
                if case .success(let c) = result { c.abort() }
                return
            }
            self.connecting = false
            switch result {
            case .success(let conn):
                guard self.running else { conn.abort(); return }
                self.backoff = self.initialBackoffMs
                self.connection = conn
                self.connectCount += 1
                conn.addCloseHandler { [weak self, weak conn] _ in
                    guard let self, let conn, self.connection === conn else { return }
                    self.connection = nil
                    self.onDisconnect?()
                    self.retryLater()
                }
                self.loop.logger.debug("connected", metadata: ["path": "\(self.path)"])
                self.onConnect?(conn)
            case .failure(let e):
                self.loop.logger.debug("connect failed; retrying", metadata: [
                    "path": "\(self.path)", "error": "\(e)", "backoff_ms": "\(self.backoff)"])
                self.retryLater()
            }
        }
    }

    private func retryLater() {
        guard running, !loop.isShuttingDown else { return }
        let delay = backoff
        backoff = min(backoff * 2, maxBackoffMs)
        retryTimer = loop.schedule(afterMilliseconds: delay) { [weak self] in
            self?.retryTimer = nil
            self?.attempt()
        }
    }

    func shutdownClose() { stop() }
}
