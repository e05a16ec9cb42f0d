import Foundation
import GoujiModel
import GoujiParse

/// Parse throughput on one core: every seed parsed in a loop for a few seconds (after a warm-up),
/// reported as MB/s and documents/s. Run the release build: `make bench`.
enum ParseBench {
    static func sharedRoot() -> URL {
        if let env = ProcessInfo.processInfo.environment["GOUJI_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared")
    }

    static func run(seconds: Double = 3) {
        let dir = sharedRoot().appendingPathComponent("seeds")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        let texts: [(String, String, Int)] = names.compactMap { name in
            guard let data = try? Data(contentsOf: dir.appendingPathComponent(name)) else { return nil }
            return (name, String(decoding: data, as: UTF8.self), data.count)
        }
        guard !texts.isEmpty else {
            print("parse bench: no seeds under \(dir.path) (set GOUJI_SHARED)")
            return
        }
        let parser = BudgetParser()
        var sink = 0
        for (name, text, bytes) in texts {
            sink &+= parser.parse(text: text, source: Source(name: name, format: .text, bytes: bytes)).tables.count
        }
        let clock = ContinuousClock()
        let cpuStart = CPUTime.processSeconds()
        let start = clock.now
        var docs = 0
        var bytesDone = 0
        var rounds = 0
        // GOUJI_PARSE_ROUNDS=N: exactly N rounds (fixed work, for instruction counts under callgrind).
        let fixedRounds = ProcessInfo.processInfo.environment["GOUJI_PARSE_ROUNDS"].flatMap { Int($0) }
        while fixedRounds.map({ rounds < $0 }) ?? ((clock.now - start) < .milliseconds(Int(seconds * 1000))) {
            for (name, text, bytes) in texts {
                sink &+= parser.parse(text: text, source: Source(name: name, format: .text, bytes: bytes)).tables.count
                docs += 1
                bytesDone += bytes
            }
            rounds += 1
        }
        let elapsed = clock.now - start
        let cpu = CPUTime.processSeconds() - cpuStart
        let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let mb = Double(bytesDone) / 1_048_576
        // Per core: bytes over the CPU time this (single-threaded) process used, so a machine
        // shared with other work does not understate it; wall-clock figures printed alongside.
        print(String(format: "parse: %d seeds x %d rounds, %.2f MB; per core (CPU time %.2f s): %.2f MB/s, %.0f docs/s; wall %.2f s: %.2f MB/s (checksum %d)",
                     texts.count, rounds, mb, cpu, mb / cpu, Double(docs) / cpu, secs, mb / secs, sink))
    }
}
