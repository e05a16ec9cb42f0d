import Foundation
@testable import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 10 of the readers outside the table reader: each shortcut held to the reading it stands
/// for, on random inputs and on every line of the seeds.
@Suite struct ParseRound10NarrativeTests {
    static let enumeratorPieces = ["一", "二", "十", "百", "一般", "、", "．", ".", "(", ")", "（", "）", "1", "2", "12", "3.5", "⑴", "①",
                                   "⑩", "⒀", "第", "部分", "基本支出", "行政运行", " ", "\u{3000}", "\u{00A0}", "\r", "\u{301}", "e\u{301}",
                                   "\u{F900}", "😀", "１", "Ａ", "-", "：", "\t", "\u{FF9E}"]

    /// `Label.stripEnumerator` (read on the UTF-8 bytes) gives the Character reading's String, byte
    /// for byte, on texts that start with every enumerator form (and with scalars that send the
    /// reading to its Character path: combining marks, CR, compatibility ideographs, emoji).
    @Test func enumeratorOnBytesMatchesStripEnumerator() throws {
        var texts = randomTexts(from: Self.enumeratorPieces, seed: 10_001)
        texts += ["", "一、单位主要职责", "（一）部门预算收支总体情况", "1.社会保险经办业务项目", "1.5 万元", "12、", "(3)其他",
                  "⑴工资", "①", "十一、其他", "一般公共预算", "（一", "(12)", "123、", "1、2", "（１）", "\r一、", "一\u{301}、"]
        for f in try SharedData.seedFiles() {
            let text = try String(contentsOf: f, encoding: .utf8)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                texts.append(String(line))
                texts.append(SourceText.trim(line))
            }
        }
        for t in texts {
            let fast = Label.stripEnumerator(t)
            let slow = Label.stripEnumeratorByCharacters(t)
            #expect(fast == slow && Array(fast.utf8) == Array(slow.utf8), "\(t.debugDescription)")
        }
    }

    /// `UnitVotes.sameText(a, b)` is `a == b` (canonical equivalence), also where the bytes differ
    /// but the texts are equivalent (decomposed accents, compatibility ideographs).
    @Test func unitNamesCompareAsStrings() {
        let names: [String?] = [nil, "", "某某县财政局", "某某县财政局 ", "某某县财政", "é", "e\u{301}", "\u{F900}", "\u{8C48}",
                                "Ａ", "A", "301001", "３０１００１", "局\u{301}", "局"]
        for a in names {
            for b in names {
                #expect(UnitVotes.sameText(a, b) == (a == b), "\(String(describing: a)) \(String(describing: b))")
                let ua = UnitRef(name: a, code: b), ub = UnitRef(name: b, code: a)
                #expect(UnitVotes.same(ua, ub) == (ua == ub))
            }
        }
    }

    /// Wherever a staffing word is followed by a count (`MetaStaffing.number`), the text's scalar
    /// mask passes `mayHoldCount`: the window it skips holds no count.
    @Test func windowsWithoutCountWordsOrDigitsHoldNoCount() {
        let pieces = ["编制", "人数", "实有", "在职", "退休", "人员", "人", "名", "12", "３", "０", "，", "。", "：", " ", "\u{3000}",
                      "\u{00A0}", "（", "）", "为", "共", "费", "万元", "≥", "1.5", "个", "\t"]
        let texts = randomTexts(from: pieces, seed: 10_002)
        var counted = 0
        for t in texts {
            let chars = NarrText.scalars(NarrText.foldDigits(t))
            let words = ["编制人数", "编制", "实有人数", "在职", "退休"].map(NarrText.scalars)
            let found = words.contains { MetaStaffing.number(after: $0, in: chars, startingBefore: chars.count) != nil }
            if found {
                counted += 1
                #expect(MetaStaffing.mayHoldCount(ScalarMask.of(t)), "\(t.debugDescription)")
            }
        }
        #expect(counted > 50)
    }

    /// The staffing counts and the unit fields read from documents whose field lines repeat
    /// (every table's header) and whose 退休/在职 lines print no count: as the text says.
    @Test func repeatedFieldLinesAndCountlessStaffingLines() {
        var text = """
        某某县财政局2025年部门预算
        第一部分 部门概况
        本部门核定编制 40 人，实有人员 38 人。
        离退休经费 12.50
        在职人员经费
        3.00
        退休
        人数
        其中：在职 35
        人，退休人员 12 名。

        """
        for k in 0..<12 {
            text += "部门收支总表\n填报单位：【301001】某某县财政局    单位：万元\n"
            text += "机关事业单位基本养老保险缴费支出 \(k).00\n行政单位离退休 1.00\n"
        }
        text += "填报单位：【301002】某某县财政所    单位：元\n"
        var doc = BudgetDocument(source: Source(name: "t.txt", format: .text))
        MetadataReader.read(SourceText(text), into: &doc)
        #expect(doc.unit == UnitRef(name: "某某县财政局", code: "301001"))
        #expect(doc.currencyUnit == "万元")
        #expect(doc.staffing == Staffing(authorized: 40, actual: 38, inService: 35, retired: 12))
    }
}
