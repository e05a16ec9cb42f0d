// gouji-bench: every benchmark `make bench` prints. Each area lives in its own file
// (WireBench, ParseBench, ReconcileBench, StoreBench); this entry point only dispatches.
//   --echo-server PATH [--raw]  internal: the Swift echo server process the wire benchmark spawns
//   --c-echo PATH        the C libuv echo pair's binary (the reference for the wire benchmark)
//   --only AREA          run one area: wire, parse, reconcile, store; or codec (wire's in-process part only)
// Reconcile options: --reconcile-rounds N.
// Store options: --store-docs N, --store-dir DIR, --store-keep, --store-reuse DIR.
import Foundation

let args = CommandLine.arguments
func value(after flag: String) -> String? {
    guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return nil }
    return args[i + 1]
}

if let path = value(after: "--echo-server") {
    exit(WireBench.runEchoServer(path: path))
}
let only = value(after: "--only")
func wants(_ area: String) -> Bool { only == nil || only == area }

do {
    if wants("wire") { try WireBench.run(cEcho: value(after: "--c-echo")) }
    if only == "codec" {
        WireBench.runCodec()
        WireBench.runDocumentCodec()
    }
    if wants("parse") { ParseBench.run() }
    if wants("reconcile") { try ReconcileBench.run(arguments: args) }
    if wants("store") { try StoreBench.run(arguments: args) }
} catch {
    FileHandle.standardError.write(Data("gouji-bench: \(error)\n".utf8))
    exit(1)
}
