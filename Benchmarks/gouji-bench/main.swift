// gouji-bench: benchmarks. `--c-echo PATH` runs the message-layer benchmark beside the C pair;
// `--echo-server PATH` is the Swift echo server process that benchmark spawns.
import Foundation

let args = CommandLine.arguments
func value(after flag: String) -> String? {
    guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return nil }
    return args[i + 1]
}

if let path = value(after: "--echo-server") {
    exit(WireBench.runEchoServer(path: path))
}
do {
    try WireBench.run(cEcho: value(after: "--c-echo"))
} catch {
    FileHandle.standardError.write(Data("gouji-bench: \(error)\n".utf8))
    exit(1)
}
