import Foundation
@testable import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 14 of the narrative readers: each shortcut held to the reading it stands for, on random
/// inputs and on every line of the seeds.
@Suite struct ParseRound14NarrativeTests {
    /// Pieces of labels: classification names and their parts, endings they share, scalars of
    /// other lengths and canonically equivalent spellings.
    static let pieces = ["支出", "出", "行政运行", "其他", "其他支出", "工资福利", "商品和服务支出", "社会保障和就业支出",
                         "行政事业单位养老支出", "对个人和家庭的补助", "(基本建设)", "（基本建设）", "资本性支出", "事务",
                         "住房公积金", "机关", "养老", "a", "ab", "1", " ", "(项)", "(款)", "为", "é", "e\u{301}", "😀",
                         "\u{F900}", "ＡＢ", "公共"]

    /// The reading `longestSuffix` over `NarrativeClassification.table` replaces: the entries of the
    /// label's last scalar (`byLastCharacter`), compared scalar by scalar, under a section only
    /// the keys that extend it; the first of equally long ones wins.
    static func reference(_ label: String, under section: String?,
                          in index: [Unicode.Scalar: [NarrativeClassification.Entry]]) -> (length: Int, key: String)? {
        let lu = NarrText.scalars(label)
        guard let last = lu.last else { return nil }
        var best: (length: Int, key: String)?
        for e in index[last] ?? [] where NarrText.hasSuffixU(lu[...], e.scalars) {
            if let section, !(e.key.begins(with: section) && e.key != section) { continue }
            if e.length > best?.length ?? Int.min { best = (e.length, e.key) }
        }
        return best
    }

    static func longest(_ label: String, under section: String?,
                        in table: NarrativeClassification.SuffixTable) -> (length: Int, key: String)? {
        var best: (length: Int, key: String)?
        guard !label.isEmpty else { return nil }
        FastText.scanUTF8(label) { lb in
            NarrScanner.longestSuffix(in: table, of: lb, tail: NarrTableIndex.Tail(label), under: section, over: &best)
        }
        return best
    }

    /// The built-in names read on their bytes and tails give the entry the scalar buckets give,
    /// on random labels, every classification name with text before it, and every seed line
    /// (as a label and as its key), with and without a section.
    @Test func classificationOnBytesAsByScalars() throws {
        var labels = randomTexts(from: Self.pieces, seed: 14_001)
        for (name, _) in NarrativeClassification.pairs {
            labels.append(name)
            labels.append("其中" + name)
            labels.append(String(name.dropFirst()))
            labels.append(name + "为")
        }
        for line in try SharedFiles.seedLines() {
            labels.append(line)
            labels.append(NarrativeClassification.key(line))
        }
        let sections: [String?] = [nil, "func.208", "func.20805", "func.2080505", "econ.30", "func."]
        var found = 0
        for label in labels {
            for section in sections {
                let got = Self.longest(label, under: section, in: NarrativeClassification.table)
                let want = Self.reference(label, under: section, in: NarrativeClassification.byLastCharacter)
                #expect(got?.length == want?.length, "\(label.debugDescription) \(section ?? "")")
                #expect(got?.key == want?.key, "\(label.debugDescription) \(section ?? "")")
                if want != nil { found += 1 }
            }
        }
        #expect(found > 1000)
    }

    /// `entries` keeps the pairs' order and gives each name its bytes and tail; `index` groups
    /// those entries by last scalar in that order.
    @Test func entriesKeepThePairsOrder() {
        let all = NarrativeClassification.all
        #expect(all.map(\.key) == NarrativeClassification.pairs.filter { !$0.0.isEmpty }.map(\.1))
        for (e, pair) in zip(all, NarrativeClassification.pairs) {
            #expect(e.bytes == Array(pair.0.utf8))
            #expect(e.scalars == Array(pair.0.unicodeScalars))
            #expect(e.length == e.scalars.count)
        }
        var regrouped: [Unicode.Scalar: [String]] = [:]
        for e in all { regrouped[e.scalars.last!, default: []].append(e.key) }
        #expect(regrouped == NarrativeClassification.byLastCharacter.mapValues { $0.map(\.key) })
    }

    /// A document's own names (the index built where some name is not `NFCInert`) read on bytes
    /// as the scalar buckets read them, under sections too.
    @Test func documentIndexOnBytesAsByScalars() {
        var g = SplitMix64(seed: 14_002)
        let names = ["行政运行", "事业运行", "其他社会保障和就业支出", "e\u{301}支出", "é支出", "机关服务", "a", "ab",
                     "住房公积金", "其他支出", "支出", "出", "（其他）支出", "(其他)支出", "ＡＢ", "\u{F900}"]
        let codes = ["208", "20801", "2080101", "20899", "2089999", "20805", "2080505", "221", "22102", "229"]
        let labels = randomTexts(from: Self.pieces + names, seed: 14_003).prefix(1500)
        for _ in 0..<40 {
            var named: [(key: String, code: String)] = []
            for _ in 0..<g.int(0...20) { named.append((names[g.int(0...(names.count - 1))], codes[g.int(0...(codes.count - 1))])) }
            let pairs = NarrScanner.deepestCodes(named, inert: false)
            let entries = NarrativeClassification.SuffixTable(NarrativeClassification.entries(pairs))
            let index = NarrativeClassification.index(pairs)
            for label in labels {
                for section in [nil, "func.208", "func.20805"] as [String?] {
                    let got = Self.longest(label, under: section, in: entries)
                    let want = Self.reference(label, under: section, in: index)
                    #expect(got?.length == want?.length, "\(label.debugDescription)")
                    #expect(got?.key == want?.key, "\(label.debugDescription)")
                }
            }
        }
    }

    /// `Tally` picks the key a dictionary of the same votes picks under the metadata reader's
    /// orders (more votes, then the smaller year or currency word; among kinds the budget, among
    /// scopes the unit), whatever order the votes come in.
    @Test func tallyPicksAsADictionary() {
        var g = SplitMix64(seed: 14_004)
        for _ in 0..<3000 {
            var years = Tally<Int>(), kinds = Tally<DocumentKind>(), units = Tally<String>()
            var yd: [Int: Int] = [:], kd: [DocumentKind: Int] = [:], ud: [String: Int] = [:]
            let words = ["万元", "亿元", "千元", "元"]
            for _ in 0..<g.int(0...12) {
                let y = g.int(2018...2026), w = g.int(1...5)
                years.add(y, w); yd[y, default: 0] += w
                let k: DocumentKind = g.int(0...1) == 0 ? .budget : .finalAccounts
                kinds.add(k, w); kd[k, default: 0] += w
                let u = words[g.int(0...3)]
                units.add(u, 1); ud[u, default: 0] += 1
            }
            #expect(years.entries.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key
                    == yd.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key)
            #expect(kinds.entries.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key == .finalAccounts) })?.key
                    == kd.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key == .finalAccounts) })?.key)
            #expect(units.entries.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key
                    == ud.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key)
            #expect(years.entries.reduce(0) { $0 + $1.value } == yd.values.reduce(0, +))
        }
    }
}
