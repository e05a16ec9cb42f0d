import Foundation
import GoujiModel
import GoujiParse
import GoujiReconcile

/// Reconciliation benchmark (issue 4): for each seed, the time to parse it and the time to
/// reconcile the parsed document (median of repeated runs), and their ratio (goal: reconcile
/// under a tenth of parse time).
enum ReconcileBench {
    enum BenchError: Error, CustomStringConvertible {
        case noSeeds(String)
        var description: String {
            switch self {
            case .noSeeds(let dir): "no seeds in \(dir): set GOUJI_SHARED to the shared/ folder"
            }
        }
    }

    static func median(_ xs: [Duration]) -> Duration {
        let s = xs.sorted()
        return s[s.count / 2]
    }

    static func micros(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
    }

    static func run(arguments: [String]) throws {
        let shared = ProcessInfo.processInfo.environment["GOUJI_SHARED"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.currentDirectoryPath + "/../shared"
        let dir = shared + "/seeds"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        guard !names.isEmpty else { throw BenchError.noSeeds(dir) }
        let rounds = arguments.firstIndex(of: "--reconcile-rounds").flatMap { i in
            i + 1 < arguments.count ? Int(arguments[i + 1]) : nil
        } ?? 50
        let clock = ContinuousClock()
        let parser = BudgetParser()
        let reconciler = Reconciler()
        print("reconcile: \(names.count) seeds, median of \(rounds) runs each (parse vs reconcile)")
        var totalParse = Duration.zero
        var totalReconcile = Duration.zero
        for name in names {
            let text = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
            let source = Source(name: name, format: .text, bytes: text.utf8.count)
            var doc = parser.parse(text: text, source: source)
            var parses: [Duration] = []
            var recs: [Duration] = []
            var findings = 0
            for _ in 0..<rounds {
                parses.append(clock.measure { doc = parser.parse(text: text, source: source) })
                recs.append(clock.measure { findings = reconciler.findings(for: doc).count })
            }
            let p = median(parses), r = median(recs)
            totalParse += p
            totalReconcile += r
            print(String(format: "  %@  parse %8.0f µs  reconcile %7.0f µs  ratio %.3f  (%d findings)",
                         name, micros(p), micros(r), micros(r) / micros(p), findings))
        }
        print(String(format: "  all seeds: parse %.0f µs, reconcile %.0f µs per document on average; reconcile/parse = %.3f (goal < 0.1)",
                     micros(totalParse) / Double(names.count), micros(totalReconcile) / Double(names.count),
                     micros(totalReconcile) / micros(totalParse)))
    }
}
