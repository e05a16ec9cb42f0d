@testable import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// The text side's round-7 shortcuts agree with the readings they replace.
@Suite struct TextSideRound7Tests {
    /// `NarrTableIndex` on inert names compares the label with the names that end like it instead
    /// of building the index: the same longest name and deepest code as the index reading, for
    /// names that share endings, repeat at several levels, are one scalar long, ASCII or
    /// full-width, and for labels that no name ends.
    @Test func nameScanMatchesTheIndex() {
        var rng = SplitMix64(seed: 707)
        let names = ["行政运行", "事业运行", "其他社会保障和就业支出", "一般公共服务支出", "机关服务", "a", "ab", "社会保险经办机构",
                     "住房公积金", "其他支出", "支出", "出", "（其他）支出", "(其他)支出", "ＡＢ", "行政运行 "]
        let codes = ["208", "20801", "2080101", "20899", "2089999", "20805", "2080505", "221", "22102", "229", "2130199"]
        let labels = names + ["", "x", "b", "这是其他支出", "机关行政运行", "公积金", "运行", "ＡＢ支出", "支出\u{301}", "abc"]
        for _ in 0..<200 {
            var named: [(key: String, code: String)] = []
            for _ in 0..<rng.int(0...30) {
                named.append((names[rng.int(0...(names.count - 1))], codes[rng.int(0...(codes.count - 1))]))
            }
            let full = NarrativeClassification.index(NarrScanner.deepestCodes(named, inert: true))
            let scan = NarrTableIndex(named: named, inert: true)
            let eager = NarrTableIndex(named: named, inert: false)
            for l in labels.shuffled(using: &rng) {
                let lu = NarrText.scalars(l)
                guard let last = lu.last else { continue }
                var reference: (length: Int, key: String)?
                for e in full[last] ?? [] where NarrText.hasSuffixU(lu[...], e.scalars) && e.length > reference?.length ?? Int.min {
                    reference = (e.length, e.key)
                }
                for index in [scan, eager] {
                    let got = FastText.scanUTF8(l) { index.longest(endingOf: l, tail: NarrTableIndex.Tail(l), bytes: $0) }
                    #expect(got?.length == reference?.length, "\(l)")
                    #expect(got?.key == reference?.key, "\(l)")
                }
            }
        }
    }

    /// `classify` in place (the buckets read without copying their entries) gives the keys the
    /// entries give when compared one by one: the longest suffix, the first of equally long ones.
    @Test func classifyMatchesAnEntryByEntryReading() {
        let table = Table(kind: .generalFunction, title: "一般公共预算支出表", line: 1,
                          rows: [Row(code: "2130199", label: "其他支出", line: 2),
                                 Row(code: "2080501", label: "行政单位离退休", line: 3),
                                 Row(code: "20805", label: "行政事业单位养老支出", line: 4)])
        let scanner = NarrScanner(projects: [], tables: [table])
        let labels = ["", "出", "支出", "其他支出", "一般公共服务支出", "行政事业单位养老支出", "机关行政事业单位养老支出",
                      "行政单位离退休", "对企业补助", "工资福利支出", "ＡＢ支出", "支出\u{301}", "abc"]
        for label in labels {
            let lu = NarrText.scalars(NarrativeClassification.key(label))
            var best: (length: Int, key: String)?
            if let last = lu.last {
                let table = NarrativeClassification.index(NarrScanner.deepestCodes(
                    [("其他支出", "2130199"), ("行政单位离退休", "2080501"), ("行政事业单位养老支出", "20805")], inert: true))
                for bucket in [table[last] ?? [], NarrativeClassification.byLastCharacter[last] ?? []] {
                    for e in bucket where NarrText.hasSuffixU(lu[...], e.scalars) && e.length > best?.length ?? Int.min {
                        best = (e.length, e.key)
                    }
                }
            }
            #expect(scanner.classify(label) == best?.key, "\(label)")
        }
    }
}
