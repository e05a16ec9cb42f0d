import Foundation
@testable import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 12 of the narrative reader: each shortcut held to the reading it stands for, on random
/// inputs and on every line of the seeds.
@Suite struct ParseRound12NarrativeTests {
    static let pieces = ["持平", "保持一致", "无增减", "没有变化", "持", "保持", "保", "无", "无增", "没", "没有", "平", "一致",
                         "与上年", "1", "2.5", "万元", "亿元", "元", "%", "、", "，", "；", ";", ")", "）", "(", "（", "一", "十一", "1、",
                         "⑴", "①", "其中", "包括", "分别为", "主要包括", "：", ":", " ", "\u{3000}", "\u{00A0}", "\t", "e\u{301}", "\u{301}",
                         "😀", "\u{F900}", "a", "支出", "基本支出"]

    static func texts(seed: UInt64) throws -> [String] {
        randomTexts(from: pieces, seed: seed) + (try SharedFiles.seedLines())
    }

    /// `holdsNoChangeWord` (the words looked for only where their first scalar stands) answers as
    /// the search of the whole gap for each word did, on every slice start of each text.
    @Test func noChangeWordsAsTheWholeSearch() throws {
        for t in try Self.texts(seed: 12_001) {
            let u = Array(t.unicodeScalars)
            for start in [0, 1, u.count / 2, max(0, u.count - 3)] where start <= u.count {
                let gap = u[start...]
                let reference = gap.contains(where: { $0 == "持" || $0 == "保" || $0 == "无" || $0 == "没" })
                    && NarrScanner.noChangeWords.contains(where: { NarrText.hasU(gap, $0) })
                #expect(NarrScanner.holdsNoChangeWord(gap) == reference, "\(t.debugDescription) \(start)")
            }
        }
    }

    /// `hasNoChangeLead`, read on the bytes, finds 持 保 无 or 没 exactly where the scalars hold one
    /// (so a paragraph it passes over would have given `applyNoChange` nothing).
    @Test func noChangeLeadOnBytesAsOnScalars() throws {
        for t in try Self.texts(seed: 12_002) {
            let reference = t.unicodeScalars.contains(where: { $0 == "持" || $0 == "保" || $0 == "无" || $0 == "没" })
            #expect(FastText.scanUTF8(t, NarrScanner.hasNoChangeLead) == reference, "\(t.debugDescription)")
        }
    }

    /// Where `keepsStart` passes a trimmed label's first scalar, `cleanLabel` gives the label back
    /// byte for byte, so `labelBefore` may skip it: on random and seed texts, and on every scalar
    /// followed by words.
    @Test func keptStartsAreCleanLabels() throws {
        var texts = try Self.texts(seed: 12_003).map { SourceText.trim($0) }
        for v in UInt32(0)...0x2FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            texts.append(String(u) + "基本支出")
            texts.append(String(u) + "1、支出")
        }
        var kept = 0
        for t in texts {
            guard let f = t.unicodeScalars.first, NarrScanner.keepsStart(f) else { continue }
            kept += 1
            #expect(Array(NarrScanner.cleanLabel(t).utf8) == Array(t.utf8), "\(t.debugDescription)")
        }
        #expect(kept > 1000)
    }

    /// `Label.mayStartEnumerator` answers false only for scalars that begin no enumerator:
    /// `stripEnumerator` keeps every text such a scalar starts. (Its Character reading alone
    /// would differ on a compatibility ideograph equal to a numeral, U+F9D1 六: `stripEnumerator`
    /// never took that reading for them, before this round or after.)
    @Test func enumeratorStarts() {
        for v in UInt32(0)...0x2FFFF {
            guard let u = Unicode.Scalar(v), !Label.mayStartEnumerator(u) else { continue }
            for rest in ["、支出", "1、支出", ")", "）一、", ""] {
                let t = String(u) + rest
                #expect(Label.stripEnumerator(t) == t, "\(v)")
            }
        }
    }

    /// `factText` writes what `label + NarrText.str(number)` made, for the numbers the scan reads
    /// (digits, `,` and `.`) after any label.
    @Test func factTextAsConcatenation() throws {
        var g = SplitMix64(seed: 12_004)
        let numbers = ["0", "12", "1,234.50", "3.1415", "99999999999999999999", "7"]
        for label in try Self.texts(seed: 12_005) {
            let number = Array(numbers[g.int(0...(numbers.count - 1))].unicodeScalars)[...]
            let made = NarrScanner.factText(label, number)
            #expect(Array(made.utf8) == Array((label + NarrText.str(number)).utf8), "\(label.debugDescription)")
        }
    }

    /// The scalar buffer is kept from paragraph to paragraph: a short paragraph after a long one
    /// reads its own scalars only (a bare 8 at its end is no amount in 万元, as it was read alone).
    @Test func aShortParagraphAfterALongOneReadsItsOwnScalars() {
        let head = "第三部分 2024年部门预算情况说明\n"
        let long = "2024年收入总计320.00万元，比上年增加10.00万元，增长3.23%，主要是人员增加。\n"
        let fs = NarrativeReader.facts(in: SourceText(head + long + "基本支出8\n").lines)
        #expect(fs.map(\.key) == ["income.total"])
        #expect(fs.map(\.change) == [Amount("10.00")])
        let alone = NarrativeReader.facts(in: SourceText(head + "基本支出8\n").lines)
        #expect(alone.isEmpty)
    }

    /// The reader's facts on paragraphs without digits, with and without the no-change words, in
    /// table-like rows too: the change of zero lands where it did.
    @Test func paragraphsWithoutDigits() {
        let head = "第三部分 2024年部门预算情况说明\n"
        let text = head + "2024年收入总计320.00万元。\n与上年\n持平。\n一、部门职责\n没有\t变化\tx\ty。\n支出总计100.00万元，\n与上年相比保持一致。\n"
        let fs = NarrativeReader.facts(in: SourceText(text).lines)
        #expect(fs.map(\.key) == ["income.total", "expenditure.total"])
        #expect(fs.map(\.change) == [Amount("0"), Amount("0")])
    }
}
