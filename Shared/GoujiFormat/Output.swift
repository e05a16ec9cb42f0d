import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

/// Writes rendered output to standard output, through a pager when that helps: only when stdout is
/// a terminal and the text is taller than it. The pager is `$PAGER` (run by `/bin/sh -c`), or
/// `less -FRX` when `$PAGER` is unset or empty.
public enum Output {
    public static func write(_ text: String, page: Bool = true) {
        if page, isatty(STDOUT_FILENO) == 1, let rows = terminalRows(),
           lineCount(text, limit: rows) >= rows, pipeThroughPager(text) {
            return
        }
        writeStdout(text)
    }

    /// Writes every byte to fd 1, retrying short writes.
    public static func writeStdout(_ text: String) {
        var data = Array(text.utf8)
        var offset = 0
        while offset < data.count {
            let n = data.withUnsafeMutableBytes { buf -> Int in
                guard let base = buf.baseAddress else { return 0 }
                return systemWrite(STDOUT_FILENO, base + offset, buf.count - offset)
            }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                return
            }
            offset += n
        }
        data.removeAll()
    }

    /// The terminal's height in rows, if stdout is a terminal that reports it.
    public static func terminalRows() -> Int? {
        var ws = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0 else { return nil }
        return Int(ws.ws_row)
    }

    /// Number of lines in `text`, counting no further than `limit`.
    public static func lineCount(_ text: String, limit: Int) -> Int {
        var n = 0
        for b in text.utf8 where b == 0x0A {
            n += 1
            if n >= limit { return n }
        }
        return n
    }

    /// The pager command to use.
    public static func pagerCommand(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let p = environment["PAGER"], !p.trimmingCharacters(in: .whitespaces).isEmpty { return p }
        return "less -FRX"
    }

    static func pipeThroughPager(_ text: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", pagerCommand()]
        let pipe = Pipe()
        process.standardInput = pipe
        do {
            try process.run()
        } catch {
            return false
        }
        pipe.fileHandleForWriting.write(Data(text.utf8))
        try? pipe.fileHandleForWriting.close()
        process.waitUntilExit()
        return true
    }
}
