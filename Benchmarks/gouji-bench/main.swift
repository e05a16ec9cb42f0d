// gouji-bench: benchmarks. The store benchmark runs by default (`--store-docs N`, `--store-dir DIR`,
// `--store-keep`); the message-layer benchmark (`--c-echo PATH`) is merged in by the runtime's owner.
import Foundation

do {
    try StoreBench.run(arguments: CommandLine.arguments)
} catch {
    FileHandle.standardError.write(Data("gouji-bench: \(error)\n".utf8))
    exit(1)
}
