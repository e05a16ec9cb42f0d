import CLibUV
import Foundation
import GoujiWire

/// Sends one request to the server at `path` and waits for its reply (the first message whose
/// `reply_to` is the request's id, or an `error` without `reply_to`), on a short-lived private loop.
/// For CLIs; services use `FrameConnection` on their own loop. An `error` reply is returned as is.
public func requestReply(path: String, _ request: Envelope, timeoutMs: Int,
                         maxFrameBytes: Int = FrameDecoder.defaultMaxFrameBytes) throws -> Envelope {
    let loop = try EventLoop()
    var result: Result<Envelope, TransportError>?
    func finish(_ r: Result<Envelope, TransportError>) {
        if result == nil { result = r }
        loop.stop()
    }
    loop.schedule(afterMilliseconds: UInt64(max(0, timeoutMs))) { finish(.failure(.timeout(milliseconds: timeoutMs))) }
    UnixClient.connect(loop: loop, path: path, maxFrameBytes: maxFrameBytes) { r in
        switch r {
        case .failure(let e):
            finish(.failure(e))
        case .success(let conn):
            conn.onMessage = { m in
                if m.replyTo == request.id || (m.isError && m.replyTo == nil) {
                    finish(.success(m))
                    conn.abort()
                }
            }
            conn.onClose = { e in finish(.failure(e ?? .closedBeforeReply)) }
            if !conn.send(request) {
                finish(.failure(.messageTooLarge(bytes: request.jsonBytes().count, limit: maxFrameBytes)))
            }
        }
    }
    loop.run()
    guard let result else { throw TransportError.closedBeforeReply }
    return try result.get()
}

/// The private directory holding the sockets.
public enum RuntimeDirectory {
    /// Creates `path` with mode 0700 (parents as needed), or checks an existing one: it must be a
    /// real directory (not a symlink), owned by this uid, with no group/other permissions.
    public static func ensurePrivate(_ path: String) throws {
        var st = stat()
        if lstat(path, &st) != 0 {
            guard errno == ENOENT else {
                throw TransportError.unsafeRuntimeDirectory(path: path, reason: String(cString: strerror(errno)))
            }
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty {
                try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            }
            if mkdir(path, 0o700) != 0 && errno != EEXIST {
                throw TransportError.unsafeRuntimeDirectory(path: path, reason: "cannot create: \(String(cString: strerror(errno)))")
            }
            guard lstat(path, &st) == 0 else {
                throw TransportError.unsafeRuntimeDirectory(path: path, reason: String(cString: strerror(errno)))
            }
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw TransportError.unsafeRuntimeDirectory(path: path, reason: "not a directory (or a symlink)")
        }
        guard st.st_uid == getuid() else {
            throw TransportError.unsafeRuntimeDirectory(path: path, reason: "owned by uid \(st.st_uid), not \(getuid())")
        }
        guard st.st_mode & 0o077 == 0 else {
            throw TransportError.unsafeRuntimeDirectory(path: path, reason: "mode \(String(st.st_mode & 0o777, radix: 8)) lets others in")
        }
    }
}
