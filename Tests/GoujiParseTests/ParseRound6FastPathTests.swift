@testable import GoujiModel
@testable import GoujiParse
import Testing

/// Round 6 (parse side) shortcuts, each against the reading it replaces (kept here as the
/// reference), on fixed cases that include empty, non-ASCII, full-width and combining text.
@Suite struct ParseRound6FastPathTests {
    // MARK: ProjIndicators.settleLevels

    /// `settleLevels` as it was: the printed level-one words in a dictionary keyed by the family's word.
    static func referenceSettleLevels(_ out: inout [Indicator]) {
        func level1Family(_ w: String) -> String? {
            for f in ["产出", "效益", "满意度", "成本"] where w.begins(with: f) { return f }
            return nil
        }
        if let first = out.firstIndex(where: { !$0.l1.isEmpty }) {
            for k in 0..<first { out[k].l1 = out[first].l1 }
        }
        if let first = out.firstIndex(where: { !$0.l2.isEmpty }), level1Family(out[first].l1) == level1Family(out[0].l1) {
            for k in 0..<first where out[k].l2.isEmpty { out[k].l2 = out[first].l2 }
        }
        var printed: [String: String] = [:]
        for i in out where !i.l1.isEmpty {
            if let f = level1Family(i.l1), printed[f] == nil { printed[f] = i.l1 }
        }
        guard printed.count >= 2 else { return }
        for k in out.indices {
            guard let f = ProjIndicators.family(ofLevel2: out[k].l2), level1Family(out[k].l1) != f, let l1 = printed[f] else { continue }
            out[k].l1 = l1
        }
    }

    @Test func settleLevelsMatchesTheDictionaryReading() {
        let l1s = ["", "产出指标", "效益指标", "满意度指标", "成本指标", "产出", "成本", "其他", "产\u{301}出指标", "ＡＢ"]
        let l2s = ["", "数量指标", "质量指标", "时效指标", "经济效益指标", "社会效益指标", "服务对象满意度指标",
                   "经济成本指标", "社会成本指标", "生态环境成本指标", "可持续影响指标", "其他指标", "数量\u{301}指标"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for _ in 0..<400 {
            var rows: [Indicator] = []
            for _ in 0..<next(9) {
                rows.append(Indicator(l1: l1s[next(l1s.count)], l2: l2s[next(l2s.count)], l3: "指标\(next(5))", value: "≥\(next(100))%"))
            }
            var fast = rows
            var slow = rows
            ProjIndicators.settleLevels(&fast)
            Self.referenceSettleLevels(&slow)
            #expect(fast == slow, "\(rows)")
        }
    }

    // MARK: TableReader.isTabRow

    /// `isTabRow` as it was: every field read into a String by `LineTokens.cells`.
    static func referenceIsTabRow(_ raw: String) -> Bool {
        guard raw.has("\t") else { return false }
        return LineTokens.cells(raw).filter { !$0.text.isEmpty }.count >= 3
    }

    @Test func tabRowCountMatchesTheCells() {
        // Field pieces: empty, spaces of every kind, ideographs, full-width digits, list dashes
        // (`- x`, `-`, a dash before a combining space), debris (`<b>`, `**`), NBSP, a lone combining mark.
        let pieces = ["", " ", "  ", "\u{3000}", "\u{A0}", "\u{2002}", "\u{2003}", "合计", "１２３", "12.5", "-", "- ",
                      "- x", " - 项目", "- \u{301}", "<b>", "</b>", "**", "*", "a<", "\u{301}", "é", "表\u{3000}", "—"]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var lines = ["\t", "\t\t", "a\tb\tc", "a\t\tb", " \t \t ", "-\t-\t-", "- \u{301}\tx\ty", "<b>\t</b>\tx"]
        for _ in 0..<3000 {
            var fields: [String] = []
            for _ in 0..<(1 + next(5)) {
                var f = ""
                for _ in 0..<next(4) { f += pieces[next(pieces.count)] }
                fields.append(f)
            }
            lines.append(fields.joined(separator: "\t"))
        }
        for raw in lines where raw.has("\t") {
            let line = SourceLine(number: 1, raw: raw)
            #expect(TableReader.isTabRow(line) == Self.referenceIsTabRow(line.raw), "\(raw.unicodeScalars.map { String($0.value, radix: 16) })")
            if let n = TableReader.nonBlankTabFields(line.raw) {
                #expect(n == LineTokens.cells(line.raw).filter { !$0.text.isEmpty }.count, "\(raw.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
    }

    // MARK: TableKindClassifier.titleCandidate's end test, TableReader.isPartHeading's numerals

    /// `titleCandidate`'s last test as it was: brackets cut from the end as Characters.
    static func referenceEndsWithTableWord(_ t: String) -> Bool {
        var body = Substring(t)
        for _ in 0..<2 {
            guard let last = body.last, last == "）" || last == ")" else { break }
            guard let open = body.lastIndex(where: { $0 == "（" || $0 == "(" }) else { return false }
            body = body[..<open]
        }
        return body.ends(with: "表")
    }

    /// `isPartHeading` as it was: the numerals between 第 and 部分 looked up as Characters.
    static func referenceIsPartHeading(_ text: String) -> Bool {
        guard text.has("部分") else { return false }
        let t = FastText.removingSpaces(LineTokens.stripDebris(text))
        guard t.begins(with: "第"), let r = t.byteRange(of: "部分") else { return false }
        let mid = t[t.index(after: t.startIndex)..<r.lowerBound]
        return !mid.isEmpty && mid.count <= 3 && mid.allSatisfy { TableReader.chineseDigits.contains($0) }
    }

    @Test func titleEndAndPartNumeralsMatchTheCharacterReadings() {
        let pieces = ["表", "收支总表", "（", "）", "(", ")", "续", "按功能分类", "一", "三", "十", "百", "部分", "第",
                      "\u{F9D1}", "六", "２", "1", " ", "\u{3000}", "\u{301}", "é", "表\u{301}", "", "*", "<b>", "- "]
        var state: UInt64 = 0x1234_5678_9ABC_DEF1
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var texts = ["", "表", "收支总表", "收支总表（续）", "收支总表(按功能分类)（续）", "收支总表）", "（）", "表（一）（二）（三）",
                     "第一部分", "第十一部分 部门预算表", "第\u{F9D1}部分", "第\u{301}一部分", "第一二三四部分", "第部分", "第 二 部分"]
        for _ in 0..<4000 {
            var t = next(3) == 0 ? "第" : ""
            for _ in 0..<next(6) { t += pieces[next(pieces.count)] }
            texts.append(t)
        }
        for t in texts {
            if TableReader.allOwnCharacters(t) {
                #expect(TableKindClassifier.endsWithTableWord(t) == Self.referenceEndsWithTableWord(t), "\(t)")
            }
            #expect(TableReader.isPartHeading(t) == Self.referenceIsPartHeading(t), "\(t)")
        }
    }
}
