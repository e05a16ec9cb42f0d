import CLibUV
import Foundation
import Logging

/// A child process started with `uv_spawn`. Loop thread only (see `EventLoop`).
public final class ChildProcess: LoopResource, @unchecked Sendable {
    public let loop: EventLoop
    public let executable: String
    /// The child's pid (kept after exit, for logs).
    public let pid: Int32
    private var handle: UnsafeMutablePointer<uv_process_t>?
    private var onExit: ((Int64, Int32) -> Void)?
    public private(set) var hasExited = false

    private init(loop: EventLoop, executable: String, handle: UnsafeMutablePointer<uv_process_t>, onExit: @escaping (Int64, Int32) -> Void) {
        self.loop = loop
        self.executable = executable
        self.handle = handle
        self.pid = handle.pointee.pid
        self.onExit = onExit
    }

    /// Spawns `executable` (searched in PATH when it has no '/') with `arguments`.
    ///
    /// `environment` is added to (and overrides) the parent's environment when
    /// `inheritEnvironment` is true, else it is the child's whole environment. stdin/stdout/stderr
    /// are the parent's unless `stdoutFD`/`stderrFD` name other descriptors (e.g. a log file).
    /// `onExit(status, signal)` runs on the loop thread once: `status` is the exit code, `signal`
    /// the terminating signal (0 if none).
    public static func spawn(loop: EventLoop, executable: String, arguments: [String],
                             environment: [String: String], inheritEnvironment: Bool = true,
                             workingDirectory: String? = nil, stdoutFD: Int32? = nil, stderrFD: Int32? = nil,
                             onExit: @escaping (_ status: Int64, _ signal: Int32) -> Void) throws -> ChildProcess {
        unblockSignal(SIGCHLD)  // libuv learns of exits through SIGCHLD
        var env = inheritEnvironment ? ProcessInfo.processInfo.environment : [:]
        for (k, v) in environment { env[k] = v }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        let h = UnsafeMutablePointer<uv_process_t>.allocate(capacity: 1)
        var stdio = [uv_stdio_container_t](repeating: uv_stdio_container_t(), count: 3)
        let fds: [Int32] = [0, stdoutFD ?? 1, stderrFD ?? 2]
        for k in 0..<3 {
            stdio[k].flags = UV_INHERIT_FD
            stdio[k].data.fd = fds[k]
        }
        let rc: Int32 = executable.withCString { file in
            (workingDirectory ?? "").withCString { cwd in
                argv.withUnsafeBufferPointer { a in
                    envp.withUnsafeBufferPointer { e in
                        stdio.withUnsafeMutableBufferPointer { s in
                            var o = uv_process_options_t()
                            o.exit_cb = { p, status, signal in
                                guard let p, let d = p.pointee.data else { return }
                                Unmanaged<ChildProcess>.fromOpaque(d).takeUnretainedValue().exited(status, signal)
                            }
                            o.file = file
                            o.args = UnsafeMutablePointer(mutating: a.baseAddress)
                            o.env = UnsafeMutablePointer(mutating: e.baseAddress)
                            o.cwd = workingDirectory == nil ? nil : cwd
                            o.stdio_count = 3
                            o.stdio = s.baseAddress
                            return uv_spawn(loop.raw, h, &o)
                        }
                    }
                }
            }
        }
        if rc != 0 {
            // uv_spawn initialises the handle even when it fails; it must still be closed.
            h.pointee.data = nil
            closeHandle(h) {}
            throw TransportError.uv("spawn \(executable)", rc)
        }
        let child = ChildProcess(loop: loop, executable: executable, handle: h, onExit: onExit)
        h.pointee.data = Unmanaged.passUnretained(child).toOpaque()
        loop.register(child)
        loop.logger.info("spawned", metadata: ["executable": "\(executable)", "pid": "\(child.pid)"])
        return child
    }

    private func exited(_ status: Int64, _ signal: Int32) {
        hasExited = true
        let cb = onExit
        onExit = nil
        if let h = handle {
            handle = nil
            closeHandle(h) { [self] in loop.unregister(self) }
        }
        cb?(status, signal)
    }

    /// Sends `signal` to the child (ignored once it has exited).
    public func kill(_ signal: Int32) {
        guard let h = handle, !hasExited else { return }
        let rc = uv_process_kill(h, signal)
        if rc != 0 {
            loop.logger.warning("kill failed", metadata: ["pid": "\(pid)", "error": "\(TransportError.uv("kill", rc))"])
        }
    }

    func shutdownClose() {
        // The loop is ending: stop watching the child (it keeps running unless killed first).
        guard let h = handle else { return }
        handle = nil
        onExit = nil
        closeHandle(h) { [self] in loop.unregister(self) }
    }
}
