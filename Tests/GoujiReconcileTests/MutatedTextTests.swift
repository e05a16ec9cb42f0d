import Foundation
import GoujiModel
import GoujiParse
import GoujiReconcile
import GoujiTestSupport
import Testing

/// Robustness on text no one wrote on purpose: each seed, edited at random (deterministically) with
/// the things real extractions contain — full-width digits and commas, runs of spaces, long digit
/// runs, amounts with many decimals, duplicated, shuffled and truncated lines — is parsed and
/// reconciled. The parser and the reconciler must return (a trap ends the whole test run), and
/// reconciling the same document twice must give the same findings.
@Suite struct MutatedTextTests {
    static let inserts: [String] = [
        "０１２３４５６７８９", "，", "\t", "  ", "　", "合计", "其中：", "-", "1,234.56", "\r\n",
        "2080101", "[", "]", "表", "单位：万元", "\u{301}", "增加减少", "0.00", "99999999999999999999999",
        "1.12345678", "0.123456", "年", "（", "）", "%", "\n",
    ]

    static func mutate(_ text: String, using rng: inout SplitMix64) -> String {
        var s = Array(text.unicodeScalars)
        for _ in 0..<Int.random(in: 1...30, using: &rng) {
            let p = Int.random(in: 0...s.count, using: &rng)
            switch Int.random(in: 0..<10, using: &rng) {
            case 0, 1, 2:
                s.insert(contentsOf: inserts[Int.random(in: 0..<inserts.count, using: &rng)].unicodeScalars, at: p)
            case 3, 4:
                s.removeSubrange(p..<min(s.count, p + Int.random(in: 1...40, using: &rng)))
            case 5:
                var lines = String(String.UnicodeScalarView(s)).split(separator: "\n", omittingEmptySubsequences: false)
                if let line = lines.randomElement(using: &rng) {
                    lines.insert(line, at: Int.random(in: 0...lines.count, using: &rng))
                }
                s = Array(lines.joined(separator: "\n").unicodeScalars)
            case 6:
                s.removeSubrange(p..<s.count)
            case 7:
                let pool: [UInt32] = [0x20, 0x3000, 0xFF10, 0xFF19, 0x30, 0x39, 0x2E, 0xFF0C, 0x4E00, 0x9FA5]
                if let v = Unicode.Scalar(pool[Int.random(in: 0..<pool.count, using: &rng)]) { s.insert(v, at: p) }
            default:
                var lines = String(String.UnicodeScalarView(s)).split(separator: "\n", omittingEmptySubsequences: false)
                if !lines.isEmpty {
                    let from = Int.random(in: 0..<lines.count, using: &rng)
                    lines[from...].shuffle(using: &rng)
                }
                s = Array(lines.joined(separator: "\n").unicodeScalars)
            }
        }
        return String(String.UnicodeScalarView(s))
    }

    @Test func mutatedSeedsParseAndReconcile() throws {
        let seeds = try SharedData.seedFiles()
        try #require(!seeds.isEmpty)
        let parser = BudgetParser()
        let reconciler = Reconciler()
        var rng = SplitMix64(seed: 20261202)
        var parsed = 0
        for url in seeds {
            let text = try String(contentsOf: url, encoding: .utf8)
            for i in 0..<40 {
                let mutant = Self.mutate(text, using: &rng)
                let doc = parser.parse(text: mutant, source: Source(name: "\(url.lastPathComponent)#\(i)", format: .text))
                let first = reconciler.findings(for: doc)
                let second = reconciler.findings(for: doc)
                #expect(first == second, "\(url.lastPathComponent) mutant \(i): findings differ between runs")
                parsed += 1
            }
        }
        #expect(parsed == seeds.count * 40)
    }
}
