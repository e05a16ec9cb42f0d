import ArgumentParser
import Foundation
import GoujiIngest
import GoujiRuntime
import GoujiStore
#if canImport(Glibc)
import Glibc
#endif

/// Writes to stderr (Swift 6 forbids the `stderr` global).
func writeErr(_ s: String) {
    var bytes = Array(s.utf8)
    _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

struct Up: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start goujid and return once every service answers.")

    @Option(help: "Parse workers.") var workers: Int?
    @Flag(help: "Run goujid in this terminal instead of in the background.") var foreground = false
    @Option(help: "Configuration file.") var config: String?
    @Option(help: "Seconds to wait for every service to answer.") var timeout: Int = 60

    func run() throws {
        let home = GoujiHome.resolve()
        try home.prepare()
        let client = GoujiClient(home: home)
        if (try? client.status()) != nil {
            print("gouji is already running under \(home.root)")
            return
        }
        var args: [String] = []
        if let w = workers { args += ["--workers", "\(w)"] }
        if let c = config { args += ["--config", c] }
        let exe = Launcher.sibling("goujid")
        if foreground {
            try Launcher.exec(exe, args)
        }
        let pid = try Launcher.spawnDetached(exe, args, log: home.logs + "/goujid.log")
        let reply = try Launcher.waitReady(client: client, seconds: timeout, pid: pid)
        StatusPrinter.table(reply.services)
        if !reply.ready { throw ValidationError("not every service came up; see \(home.logs)/goujid.log") }
    }
}

struct Down: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Drain (finish in-flight work) and stop gouji.")

    @Option(help: "Seconds to wait for goujid to exit.") var timeout: Int = 120

    func run() throws {
        let home = GoujiHome.resolve()
        let client = GoujiClient(home: home)
        let ack = try client.call(home.controlSocket, MessageType.down, Empty(), as: StatusBody.self)
        guard let pid = ack.pid else { return }
        let deadline = Monotonic.now() + Double(timeout)
        while Glibc.kill(pid, 0) == 0 || errno != ESRCH {
            if Monotonic.now() > deadline { throw ValidationError("goujid (pid \(pid)) still running after \(timeout) s") }
            usleep(50_000)
        }
        print("gouji stopped")
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show every service instance.")

    @Flag(help: "Print JSON: {\"services\":[…]}.") var json = false

    func run() throws {
        let home = GoujiHome.resolve()
        let status = try GoujiClient(home: home).status()
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys]
            print(String(decoding: try e.encode(StatusBody(services: status.services)), as: UTF8.self))
        } else {
            StatusPrinter.table(status.services)
        }
    }
}

struct Scale: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Change the number of parse workers: gouji scale parse=N.")

    @Argument(help: "SERVICE=N (only parse scales).") var spec: String

    func run() throws {
        let parts = spec.split(separator: "=")
        guard parts.count == 2, parts[0] == "parse", let n = Int(parts[1]), n >= 0 else {
            throw ValidationError("write it as parse=N, e.g. gouji scale parse=4")
        }
        let home = GoujiHome.resolve()
        let r = try GoujiClient(home: home).call(home.controlSocket, MessageType.scale, ScaleBody(service: "parse", count: n), as: ScaleBody.self)
        print("parse workers: \(r.count)")
    }
}

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Submit documents (directories recurse); print their doc ids.")

    @Argument(help: "Files or directories.") var paths: [String]
    @Flag(help: "Return once every document is stored or failed; exit 1 if any failed.") var wait = false
    @Option(help: "Seconds --wait may take.") var timeout: Int = 3600

    func run() throws {
        let home = GoujiHome.resolve()
        let client = GoujiClient(home: home)
        let files = try Submissions.collect(paths)
        if files.isEmpty { throw ValidationError("no files under \(paths.joined(separator: " "))") }
        var ids: [String] = []
        var refused = 0
        for f in files {
            do {
                let r = try client.call(home.ingestSocket, MessageType.submit, SubmitBody(path: f), as: SubmittedBody.self)
                ids.append(r.docID)
                print("\(r.docID)  \(f)\(r.duplicate ? "  (duplicate, \(r.state))" : "")")
            } catch {
                refused += 1
                writeErr("refused \(f): \(error)\n")
            }
        }
        guard wait, !ids.isEmpty else {
            if refused > 0 { throw ExitCode(1) }
            return
        }
        let unique = Array(Set(ids)).sorted()
        let bar = ProgressBar(total: unique.count, enabled: isatty(STDERR_FILENO) == 1)
        var done = -1
        var last = ProgressReplyBody(docs: [], done: 0)
        let deadline = Monotonic.now() + Double(timeout)
        while done < unique.count {
            if Monotonic.now() > deadline { throw ValidationError("timed out with \(max(done, 0))/\(unique.count) done") }
            last = try client.call(home.ingestSocket, MessageType.progress,
                                   ProgressBody(docIDs: unique, doneKnown: done, timeoutMs: 1000),
                                   as: ProgressReplyBody.self, timeoutMs: 10_000)
            done = last.done
            bar.update(done)
        }
        bar.finish()
        let failed = last.docs.filter { $0.state == DocState.failed.rawValue }
        for f in failed { writeErr("failed \(f.docID): \(f.reason ?? "no reason given")\n") }
        print("\(unique.count - failed.count) stored, \(failed.count) failed\(refused > 0 ? ", \(refused) refused" : "")")
        if !failed.isEmpty || refused > 0 { throw ExitCode(1) }
    }
}

enum Submissions {
    /// Files named or found under directories (recursively, sorted, hidden entries skipped).
    static func collect(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        for p in paths {
            let abs = URL(fileURLWithPath: p).standardizedFileURL.path
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: abs, isDirectory: &isDir) else { throw ValidationError("no such file: \(p)") }
            if !isDir.boolValue {
                out.append(abs)
                continue
            }
            guard let e = fm.enumerator(atPath: abs) else { continue }
            var found: [String] = []
            while let rel = e.nextObject() as? String {
                if rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                var d: ObjCBool = false
                let full = abs + "/" + rel
                if fm.fileExists(atPath: full, isDirectory: &d), !d.boolValue { found.append(full) }
            }
            out += found.sorted()
        }
        return out
    }
}

/// done/total, docs/s and ETA on one redrawn stderr line (only on a terminal).
final class ProgressBar {
    let total: Int
    let enabled: Bool
    let start = Monotonic.now()

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let d = max(done, 0)
        let elapsed = max(Monotonic.now() - start, 0.001)
        let rate = Double(d) / elapsed
        let width = 30
        let filled = total == 0 ? width : width * d / total
        let eta = rate > 0 ? String(format: "%.0fs", Double(total - d) / rate) : "--"
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        writeErr(String(format: "\r[%@] %d/%d  %.1f docs/s  ETA %@ ", bar, d, total, rate, eta))
    }

    func finish() { if enabled { writeErr("\n") } }
}

enum StatusPrinter {
    static func table(_ rows: [InstanceStatus]) {
        print("NAME       INST  PID      STATE       UPTIME_S  RESTARTS  IN_FLIGHT  PROCESSED")
        for r in rows {
            let pid = r.pid.map { String($0) } ?? "-"
            print(pad(r.name, 10) + " " + pad("\(r.instance)", 5) + " " + pad(pid, 8) + " " + pad(r.state.rawValue, 11) + " "
                  + pad(String(format: "%.1f", r.uptimeS), 9) + " " + pad("\(r.restarts)", 9) + " "
                  + pad("\(r.inFlight)", 10) + " " + "\(r.processed)" + (r.reason.map { "  (\($0))" } ?? ""))
        }
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
}

enum Launcher {
    static func sibling(_ name: String) -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        let me = n > 0 ? String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        return (me as NSString).deletingLastPathComponent + "/" + name
    }

    static func exec(_ exe: String, _ args: [String]) throws -> Never {
        let argv = ([exe] + args).map { strdup($0) } + [nil]
        execv(exe, argv)
        throw ValidationError("cannot run \(exe): \(String(cString: strerror(errno)))")
    }

    /// Starts goujid in its own session (so a terminal's ^C does not reach it), output to `log`.
    static func spawnDetached(_ exe: String, _ args: [String], log: String) throws -> pid_t {
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // POSIX_SPAWN_SETSID (0x80, glibc; not imported into Swift) | POSIX_SPAWN_SETSIGMASK (0x08).
        posix_spawnattr_setflags(&attr, Int16(0x80 | 0x08))
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([exe] + args).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, exe, &actions, &attr, argv, environ)
        if rc != 0 { throw ValidationError("cannot start \(exe): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// Waits until goujid answers `ready` (every service said hello), or fails.
    static func waitReady(client: GoujiClient, seconds: Int, pid: pid_t) throws -> ReadyReplyBody {
        let deadline = Monotonic.now() + Double(seconds)
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw ValidationError("goujid exited at start; see \(client.home.logs)/goujid.log")
            }
            let left = Int((deadline - Monotonic.now()) * 1000)
            if left <= 0 { throw ValidationError("gouji did not come up within \(seconds) s; see \(client.home.logs)/goujid.log") }
            if FileManager.default.fileExists(atPath: client.home.controlSocket),
               let r = try? client.call(client.home.controlSocket, MessageType.ready, ReadyBody(timeoutMs: left),
                                        as: ReadyReplyBody.self, timeoutMs: left + 1000) {
                return r
            }
            usleep(50_000)
        }
    }
}

/// What the query subcommands (QueryCommands.swift) ask: the running store service over its
/// socket, else the store file opened read-only.
func makeQueryExecutor(home: String) throws -> any QueryExecutor {
    try makeStoreQueryExecutor(home: home)
}
