import CLibUV

/// Failures of the socket layer. Each message says what to do about it.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A libuv call failed (`code` is the negative libuv/errno code).
    case uv(operation: String, code: Int32, message: String)
    /// The socket path does not fit in `sockaddr_un.sun_path`.
    case pathTooLong(path: String, limit: Int)
    /// Another live server already listens on the path.
    case addressInUse(path: String)
    /// The peer sent a length prefix above the frame limit; the connection was closed.
    case frameTooLarge(length: UInt64, limit: Int)
    /// The peer stopped reading and the outgoing queue passed its hard limit; the connection was closed.
    case queueOverflow(queued: Int, limit: Int)
    /// An outgoing message is larger than the frame limit and was not sent.
    case messageTooLarge(bytes: Int, limit: Int)
    /// No reply arrived in time.
    case timeout(milliseconds: Int)
    /// The connection closed before the expected reply.
    case closedBeforeReply
    /// The runtime directory is missing, not ours, or accessible to others.
    case unsafeRuntimeDirectory(path: String, reason: String)
    /// The peer's uid is not ours.
    case peerRejected(uid: UInt32)

    static func uv(_ operation: String, _ code: Int32) -> TransportError {
        .uv(operation: operation, code: code, message: String(cString: uv_strerror(code)))
    }

    public var description: String {
        switch self {
        case .uv(let op, let code, let message):
            return "\(op) failed: \(message) (\(code))"
        case .pathTooLong(let path, let limit):
            return "socket path '\(path)' is longer than \(limit - 1) bytes; use a shorter runtime directory (e.g. set GOUJI_HOME to a shorter path)"
        case .addressInUse(let path):
            return "a live server already listens on '\(path)'; stop it first (gouji down) or use another home"
        case .frameTooLarge(let length, let limit):
            return "peer sent a frame of \(length) bytes, above the \(limit)-byte limit; the connection was closed"
        case .queueOverflow(let queued, let limit):
            return "peer is not reading: \(queued) bytes queued (limit \(limit)); the connection was closed"
        case .messageTooLarge(let bytes, let limit):
            return "message of \(bytes) bytes exceeds the \(limit)-byte frame limit; send a path or split the payload"
        case .timeout(let ms):
            return "no reply within \(ms) ms; is the service running (gouji status)?"
        case .closedBeforeReply:
            return "the connection closed before the reply arrived; the service may have restarted, retry"
        case .unsafeRuntimeDirectory(let path, let reason):
            return "runtime directory '\(path)' is unsafe: \(reason); remove it or fix its owner/mode (0700)"
        case .peerRejected(let uid):
            return "peer with uid \(uid) is not the owning user; only the owner may connect"
        }
    }
}

/// SO_PEERCRED of a connected Unix socket.
public struct PeerCredentials: Sendable, Equatable, CustomStringConvertible {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32
    public init(pid: Int32, uid: UInt32, gid: UInt32) { self.pid = pid; self.uid = uid; self.gid = gid }

    /// The credentials of the peer on socket `fd`, nil when the kernel cannot tell.
    public static func of(fd: Int32) -> PeerCredentials? {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
        guard gouji_peer_credentials(fd, &pid, &uid, &gid) == 0 else { return nil }
        return PeerCredentials(pid: pid, uid: uid, gid: gid)
    }

    public var description: String { "pid=\(pid) uid=\(uid) gid=\(gid)" }
}
