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

// Which library's malloc the figures were measured with: Package.swift links mimalloc into every
// executable; under `LD_PRELOAD` of another allocator the line names that one.
// (The library is the mapping of /proc/self/maps that holds the address `malloc` resolves to.)
if only != "codec" {
    var from = "an unknown library"
    // (Read line by line: a /proc file reports size 0, and a whole-file read may stop short.)
    if let address = dlsym(nil, "malloc").map({ UInt(bitPattern: $0) }), let maps = fopen("/proc/self/maps", "r") {
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        while getline(&buffer, &capacity, maps) > 0, let buffer {
            let fields = String(cString: buffer).split(whereSeparator: { $0 == " " || $0 == "\n" })
            let range = fields.first?.split(separator: "-").compactMap { UInt($0, radix: 16) } ?? []
            if fields.count >= 6, range.count == 2, address >= range[0], address < range[1] {
                from = String(fields[5].split(separator: "/").last ?? fields[5])
                break
            }
        }
        free(buffer)
        fclose(maps)
    }
    print("allocator: malloc from \(from)")
}

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
