import Foundation
import Testing
import GoujiModel
@testable import GoujiReconcile
import GoujiTestSupport

/// `LabelTable` finds keys by a hash of their bytes: every lookup must give what the dictionary
/// gives (`String` equality, canonical), for keys, near misses, random text, decomposed forms and
/// labels of every gold table.
@Suite struct LabelTableTests {
    /// Pieces random labels are made of: CJK, ASCII, fullwidth, a composed é and its decomposed
    /// form (e + U+0301), a combining mark alone.
    static let pieces = ["一般", "公共", "支出", "服务", "合计", "总计", "小计", "本年", "收入", "基本", "项目",
                         "a", "b", ".", "1", "2", "3", "（", "）", "：", "é", "e\u{301}", "\u{301}", " ", "经费"]

    static func randomLabel(_ g: inout SplitMix64) -> String {
        var s = ""
        for _ in 0..<g.int(0...9) { s += pieces[g.int(0...(pieces.count - 1))] }
        return s
    }

    static func tables() -> [[String: Int]] {
        var out: [[String: Int]] = []
        out.append(RuleTables.functionClasses.mapValues { Int($0) ?? -1 })
        out.append(Dictionary(uniqueKeysWithValues: RuleTables.expenditureNatureLines.keys.enumerated().map { ($1, $0) }))
        out.append(Dictionary(uniqueKeysWithValues: RuleTables.totalLabels.enumerated().map { ($1, $0) }))
        out.append(TextRules.namedKeys)
        out.append([:])
        // Random tables, some with a decomposed key (looked up by hashing the String then).
        var g = SplitMix64(seed: 12)
        for _ in 0..<40 {
            var d: [String: Int] = [:]
            for k in 0..<g.int(1...60) { d[randomLabel(&g)] = k }
            out.append(d)
        }
        return out
    }

    static func probes(_ d: [String: Int], _ g: inout SplitMix64) -> [String] {
        var out = Array(d.keys)
        for k in d.keys {
            out.append(k + "支出")
            out.append(String(k.dropLast()))
            out.append(k.precomposedLike)
        }
        for _ in 0..<300 { out.append(randomLabel(&g)) }
        return out
    }

    @Test func lookupsAgreeWithTheDictionary() {
        var g = SplitMix64(seed: 7)
        for d in LabelTableTests.tables() {
            let t = LabelTable(d)
            for label in LabelTableTests.probes(d, &g) {
                #expect(t[label] == d[label], "\(label)")
                let simple = label.utf8.withContiguousStorageIfAvailable(DocumentRules.isSimple) ?? false
                #expect(t[label, simple: simple] == d[label], "\(label)")
            }
        }
    }

    @Test func lookupsOfGoldLabelsAgreeWithTheDictionary() throws {
        let docs = try Shared.goldNames().map(Shared.gold)
        let tables = LabelTableTests.tables()
        let built = tables.map { LabelTable($0) }
        for doc in docs {
            for table in doc.tables {
                for row in table.rows {
                    for label in [row.label, Label.normalized(row.label)] {
                        for (d, t) in zip(tables, built) {
                            #expect(t[label] == d[label], "\(label)")
                        }
                    }
                }
            }
        }
    }
}

private extension String {
    /// The string with its é written decomposed (and its decomposed é composed): canonically
    /// equal, different bytes.
    var precomposedLike: String {
        contains("é") ? replacingOccurrences(of: "é", with: "e\u{301}") : replacingOccurrences(of: "e\u{301}", with: "é")
    }
}
