import Foundation
import Testing
import GoujiModel
import GoujiParse
@testable import GoujiReconcile
import GoujiTestSupport

/// End to end: the parser's reading of each seed, reconciled, against the gold findings.
@Suite struct ParsedSeedsTests {
    static func parsed(_ name: String) throws -> BudgetDocument {
        let text = try String(contentsOf: Shared.root.appendingPathComponent("seeds/\(name).txt"), encoding: .utf8)
        return BudgetParser().parse(text: text, source: Source(name: "\(name).txt", format: .text))
    }

    @Test func parsedSeedsMatchTheGoldFindings() throws {
        // GOUJI_EXPORT_DIR: write each reconciled document there (for shared/tools/score.py).
        let dir = ProcessInfo.processInfo.environment["GOUJI_EXPORT_DIR"]
        for name in try Shared.goldNames() {
            let doc = Reconciler().reconciled(try Self.parsed(name))
            #expect(doc.findings != nil)
            if let dir, !dir.isEmpty {
                let data = try DocumentJSON.encode(doc, pretty: true)
                try data.write(to: URL(fileURLWithPath: dir).appendingPathComponent("\(name).json"))
            }
            let fs = doc.findings ?? []
            // score.py's count: expected rules found (multiset), no error/warning of another rule.
            var got: [String: Int] = [:]
            for f in fs { got[f.rule, default: 0] += 1 }
            let expected = try Shared.expected(name)
            var want: [String: Int] = [:]
            for e in expected { want[e.rule, default: 0] += 1 }
            for (rule, n) in want { #expect((got[rule] ?? 0) >= n, "\(name): \(rule) expected \(n), found \(got[rule] ?? 0)") }
            let unexpected = fs.filter { $0.severity != .info && want[$0.rule] == nil }
            #expect(unexpected.isEmpty, "\(name): \(unexpected.map { "\($0.rule): \($0.message)" })")
            print("parsed \(name): \(fs.count) findings")
            for f in fs where f.severity != .info { print("   \(f.severity.rawValue) \(f.rule): \(f.message)") }
        }
    }

    /// The text rules read the facts in line order (facts of one line in their given order):
    /// facts whose lines come in another order (a stored or hand-made document) yield the same
    /// findings as facts in line order (as parsed).
    @Test func lineOrderOfFactsDoesNotChangeFindings() throws {
        for name in try Shared.goldNames() {
            let doc = try Self.parsed(name)
            // The facts of each line as one group, the groups shuffled, each group kept in order.
            var groups: [[Fact]] = []
            for f in doc.facts {
                if let last = groups.last?.last, last.line == f.line { groups[groups.count - 1].append(f) } else { groups.append([f]) }
            }
            var rng = SplitMix64(seed: 7)
            groups.shuffle(using: &rng)
            var shuffled = doc
            shuffled.facts = groups.flatMap { $0 }
            #expect(shuffled.facts.map(\.line) != doc.facts.map(\.line) || Set(doc.facts.map(\.line)).count < 2)
            #expect(Reconciler().findings(for: shuffled) == Reconciler().findings(for: doc), "\(name)")
        }
    }
}
