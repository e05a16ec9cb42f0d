import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Errors of the runtime layer, each saying what to do.
public enum RuntimeError: Error, CustomStringConvertible, Sendable {
    case home(String)
    case config(path: String, reason: String)
    case socketPathTooLong(String)
    case notRunning(home: String)
    case service(String)

    public var description: String {
        switch self {
        case let .home(reason): "GOUJI_HOME is unusable: \(reason); set GOUJI_HOME to a writable folder"
        case let .config(path, reason): "configuration \(path) is invalid: \(reason); fix it (see deploy/gouji.toml)"
        case let .socketPathTooLong(p): "socket path \(p) is longer than 107 bytes; choose a shorter GOUJI_HOME"
        case let .notRunning(home): "gouji is not running under \(home); start it with `gouji up`"
        case let .service(reason): reason
        }
    }
}

/// The folders gouji uses: `data/` (the SQLite store), `spool/` (accepted documents and their
/// journal) and `run/` (0700: sockets, pid file). `GOUJI_HOME`, else `~/.local/share/gouji`.
public struct GoujiHome: Sendable, Equatable {
    public let root: String

    public init(root: String) {
        var r = root
        while r.count > 1 && r.hasSuffix("/") { r.removeLast() }
        self.root = r
    }

    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> GoujiHome {
        if let h = environment["GOUJI_HOME"], !h.isEmpty {
            return GoujiHome(root: URL(fileURLWithPath: h).standardizedFileURL.path)
        }
        let base = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return GoujiHome(root: base + "/.local/share/gouji")
    }

    public var data: String { root + "/data" }
    public var spool: String { root + "/spool" }
    public var run: String { root + "/run" }
    public var logs: String { root + "/logs" }
    public var database: String { data + "/gouji.sqlite" }
    public var controlSocket: String { run + "/goujid.sock" }
    public var ingestSocket: String { run + "/ingest.sock" }
    public var reconcileSocket: String { run + "/reconcile.sock" }
    public var storeSocket: String { run + "/store.sock" }
    public var pidFile: String { run + "/goujid.pid" }

    /// Creates the folders; `run/` is made (or reset to) 0700 and must be owned by this user.
    public func prepare() throws(RuntimeError) {
        let fm = FileManager.default
        for dir in [root, data, spool, logs, run] {
            do {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .home("cannot create \(dir): \(error.localizedDescription)")
            }
        }
        var st = stat()
        guard lstat(run, &st) == 0 else { throw .home("cannot stat \(run)") }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw .home("\(run) is not a folder") }
        guard st.st_uid == getuid() else { throw .home("\(run) belongs to another user") }
        if chmod(run, 0o700) != 0 { throw .home("cannot make \(run) private (0700)") }
        if controlSocket.utf8.count > 107 { throw .socketPathTooLong(controlSocket) }
    }
}
