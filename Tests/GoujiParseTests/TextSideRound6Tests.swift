@testable import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// The text side's round-6 shortcuts agree with the readings they replace.
@Suite struct TextSideRound6Tests {
    /// Texts around the words the shortcuts look for: empty, ASCII, full-width digits and forms,
    /// a long digit run, combining marks, a compatibility ideograph, wrapped and joined words.
    static let texts = [
        "", " ", "a", "编制", "编制数", "编制人数", "核定编制", "实有人数", "在职人数", "在职人员", "退休人数", "退休人员", "退休",
        "编制人数\t实有人数\t在职人数", "编制人数 实有人数 退休人员", "编制数：１２ 人", "编制数\u{301}", "在职人数\t\t", "\t编制人数",
        "单位：万元", "单位:  元", "单位：\u{3000}亿元", "填报单位：某局 单位：千元", "单位：", "单位： ", "单位：美元", "单位：万 元",
        "产出指标", "数量指标", "满意度", "服务对象满意度指", "经济成本指标", "产出指", "产出指标值", "成本", "１２３", "≥98%",
        String(repeating: "9", count: 400), "數量指標", "\u{F969}", "预算单位（单位：万元）",
    ]

    // MARK: MetaStaffing.mayHoldHeaderKey

    /// The staffing reader splits only the lines that may hold a header key: where it says no,
    /// no tab cell and no word of the line is a key.
    @Test func headerKeyGuardNeverHidesAKey() {
        var lines = Self.texts
        var rng = SplitMix64(seed: 6)
        let parts = ["编制人数", "实有人数", "在职人数", "退休人员", "编制", "人数", "在职", " ", "\t", "１", "2", "：", "人", "\u{301}", "数"]
        for _ in 0..<400 {
            var s = ""
            for _ in 0..<rng.int(1...6) { s += parts[rng.int(0...(parts.count - 1))] }
            lines.append(s)
        }
        for t in lines where !MetaStaffing.mayHoldHeaderKey(t, mask: ScalarMask.of(t)) {
            let cells = NarrText.tabCells(t) + NarrText.tokens(t)
            #expect(!cells.contains { MetaStaffing.headerKey($0) != nil }, "\(t)")
        }
        #expect(MetaStaffing.mayHoldHeaderKey("编制人数\t12", mask: ScalarMask.of("编制人数\t12")))
    }

    // MARK: MetaScan.currencyUnit

    /// The reading it replaces: every 单位：/单位: on the line, the rest trimmed, then the units.
    static func referenceCurrencyUnit(_ t: String) -> String? {
        guard t.has("单位：") || t.has("单位:") else { return nil }
        var search = t.startIndex
        while search < t.endIndex,
              let r = t[search...].byteRange(of: "单位：") ?? t[search...].byteRange(of: "单位:") {
            let rest = SourceText.trim(t[r.upperBound...])
            for u in ["万元", "亿元", "千元", "元"] where rest.begins(with: u) { return u }
            search = r.upperBound
        }
        return nil
    }

    @Test func currencyUnitMatchesTheTrimmedReading() {
        for t in Self.texts {
            #expect(MetaScan.currencyUnit(t) == Self.referenceCurrencyUnit(t), "\(t)")
        }
    }

    // MARK: UnitVotes

    /// Against the dictionary and first-seen order it replaces, past the size where its own
    /// dictionary takes over.
    @Test func unitVotesMatchADictionary() {
        var rng = SplitMix64(seed: 61)
        let names = ["景德镇市社保局", "某局", "某局 ", "江门市", "数量", "a", ""]
        for round in 0..<60 {
            var votes = UnitVotes()
            var counts: [UnitRef: Int] = [:]
            var order: [UnitRef] = []
            for _ in 0..<rng.int(0...40) {
                let name = round % 2 == 0 ? names[rng.int(0...(names.count - 1))] : "单位\(rng.int(0...15))"
                let code: String? = rng.int(0...2) == 0 ? nil : "\(rng.int(500...503))"
                let u = UnitRef(name: name, code: code)
                votes.add(u)
                if counts[u] == nil { order.append(u) }
                counts[u, default: 0] += 1
            }
            var best: UnitRef?
            var bestCount = 0
            for u in order where counts[u] ?? 0 > bestCount { best = u; bestCount = counts[u] ?? 0 }
            #expect(votes.best == best)
            #expect(votes.entries.map { $0.unit } == order)
            #expect(votes.entries.map { $0.votes } == order.map { counts[$0] ?? 0 })
        }
    }

    // MARK: ProjIndicators word lookups

    @Test func levelWordsMatchTheSets() {
        var samples = Self.texts
        for w in ProjIndicators.allWords {
            let u = Array(w.unicodeScalars)
            for k in 0...u.count { samples.append(NarrText.str(u[..<k])) }
            samples.append(w + "标")
            samples.append(w + "\u{301}")
        }
        for s in samples {
            #expect(ProjIndicators.inLevel1(s) == ProjIndicators.level1Words.contains { FastText.sameBytes($0, s) }, "\(s)")
            #expect(ProjIndicators.inLevel2(s) == ProjIndicators.level2Words.contains { FastText.sameBytes($0, s) }, "\(s)")
            #expect(ProjIndicators.isPrefixOfWord(s) == TextSideRound5Tests.referenceIsPrefix(s), "\(s)")
        }
    }

    // MARK: BudgetParser's U+FFFD count

    @Test func undecodableLinesAreCounted() {
        let parser = BudgetParser()
        let source = Source(name: "t.txt", format: .text)
        let with = parser.parse(text: "第一部分 概况\n坏\u{FFFD}行\n好行\n\u{FFFD}\u{FFFD}\n", source: source)
        #expect(with.parseNotes.contains { $0.message.hasPrefix("2 line(s) contain undecodable bytes") })
        let without = parser.parse(text: "第一部分 概况\n好行\n", source: source)
        #expect(!without.parseNotes.contains { $0.message.contains("undecodable") })
    }
}

/// `TableKindClassifier.kind(ofTitle:)` searches the title's core without folding it first.
@Suite struct TableKindRound6Tests {
    /// The reading it replaces: the core folded (width, then brackets) before the word searches.
    static func referenceKind(_ title: String) -> TableKind? {
        let t = Label.foldWidth(TableKindClassifier.core(title)).replacingAll("(", with: "（").replacingAll(")", with: "）")
        return TableKindClassifier.kind(ofWords: t)
    }

    @Test func kindMatchesTheFoldedReading() {
        var titles = [
            "", "表", "2024年部门收支总表", "２０２４年度一般公共预算支出表（按功能分类）", "一般公共预算“三公”经费支出表",
            "政府性基金预算支出表", "国有资本经营预算支出表", "一般公共预算基本支出表", "一般公共预算项目支出表",
            "一般公共预算支出经济分类表", "基本支出预算表", "项目支出预算表", "项目支出绩效目标表", "财政拨款收支总表",
            "部门收支总体情况表", "部门收入总表", "部门支出总表", "财政拨款预算表", "收支\u{3000}总表", "收（支）总表",
            "收　支总表", "财政(拨款)收支总表", "一般公共（预算）支出表", "ＡＢＣ表", "一般公共预算\u{301}支出表",
            "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "收入（支出）决算总表",
        ]
        var rng = SplitMix64(seed: 66)
        let parts = ["收", "支", "总", "表", "（", "）", "(", ")", "\u{3000}", " ", "２", "2024年", "年度", "一般公共预算", "基本支出",
                     "项目支出", "绩效", "财政拨款", "三公", "预算表", "情况表", "明细表", "收入", "总体", "ｘ", "\u{301}",
                     "决算表", "收入支出", "支出"]
        for _ in 0..<600 {
            var s = ""
            for _ in 0..<rng.int(1...7) { s += parts[rng.int(0...(parts.count - 1))] }
            titles.append(s)
        }
        for t in titles {
            #expect(TableKindClassifier.kind(ofTitle: t) == Self.referenceKind(t), "\(t)")
        }
    }
}

/// `NarrScanner.deepestCodes` on inert names (a dictionary of their bytes) against its String reading.
@Suite struct DeepestCodesRound6Tests {
    @Test func sortedRunsMatchTheDictionaryReading() {
        var rng = SplitMix64(seed: 606)
        let names = ["行政运行", "事业运行", "其他社会保障和就业支出", "机关服务", "a", "社会保险经办机构", "行政运行 ", "住房公积金"]
        let codes = ["208", "20801", "2080101", "20899", "2089999", "20805", "2080505", "221", "22102"]
        for _ in 0..<200 {
            var named: [(key: String, code: String)] = []
            for _ in 0..<rng.int(0...30) {
                named.append((names[rng.int(0...(names.count - 1))], codes[rng.int(0...(codes.count - 1))]))
            }
            let fast = NarrScanner.deepestCodes(named, inert: true)
            let reference = NarrScanner.deepestCodes(named, inert: false)
            #expect(fast.map { $0.0 } == reference.map { $0.0 })
            #expect(fast.map { $0.1 } == reference.map { $0.1 })
        }
    }
}
