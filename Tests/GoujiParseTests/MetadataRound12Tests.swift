import Foundation
@testable import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 12 of the metadata reader: each shortcut held to the reading it stands for, on random
/// inputs and on every line of the seeds.
@Suite struct MetadataRound12Tests {
    /// A line `MetaScan.mayMention` passes over has no mention once folded: the reader's budget
    /// mentions of it (`budgetMentions` of the folded line) are empty. Its `budget`/`final` flags
    /// only skip words the line does not hold.
    @Test func linesPassedOverHoldNoMention() throws {
        let pieces = ["预算", "决算", "预", "决", "算", "部门", "单位", "部", "门", "单", "位", "年", "度", "年度", "二", "〇", "○", "零",
                      "二〇二四", "２０２４", "2024", "1,990", "１，９９０", "20", " ", "\u{3000}", "\u{00A0}", "\t", "，", "科", "单位：",
                      "表", "数", "拨", "\u{301}", "😀", "a"]
        var texts = randomTexts(from: pieces, seed: 12_001)
        texts += ["2024 年 部门预算", "二〇二四年度单位决算", "部门\u{3000}预算", "２０２４年预算", "预算单位", "年度 预算科目"]
        texts += try SharedFiles.seedLines()
        var mentions = 0
        for t in texts {
            let read = MetaScan.budgetMentions(YearNumerals.folding(NarrText.foldDigits(t)))
            if !read.isEmpty { mentions += 1 }
            let may = MetaScan.mayMention(t)
            if !may { #expect(read.isEmpty, "\(t.debugDescription)") }
            #expect(MetaScan.mayMention(t, budget: t.has("预算"), final: t.has("决算")) == may, "\(t.debugDescription)")
        }
        #expect(mentions > 100)
    }

    /// `MetaScan.hasUnitColon` is the two searches it stands for.
    @Test func unitColonInOneSearch() throws {
        let pieces = ["单位", "单", "位", "：", ":", "：万元", "填报单位", "单位单位", " ", "\u{3000}", "万元", "\u{301}", "a", "\u{FF1B}"]
        var texts = randomTexts(from: pieces, seed: 12_003)
        texts += ["单位", "单位:", "单位：", "x单位", "单位\u{FF1A}", "单位\u{FF1B}"]
        texts += try SharedFiles.seedLines()
        var hits = 0
        for t in texts {
            let expected = NarrText.has(t, "单位：") || NarrText.has(t, "单位:")
            if expected { hits += 1 }
            #expect(MetaScan.hasUnitColon(t) == expected, "\(t.debugDescription)")
        }
        #expect(hits > 50)
    }

    /// `MetaStaffing.number` before this round: on the folded text, ASCII digits only.
    static func referenceNumber(after w: [Unicode.Scalar], in chars: [Unicode.Scalar], startingBefore limit: Int) -> Int? {
        var i = 0
        while i + w.count <= chars.count, i < limit {
            if chars[i] == w[0], chars[i..<(i + w.count)].elementsEqual(w) {
                var j = i + w.count
                var skipped = 0
                while j < chars.count, skipped < 8, !NarrText.isDigitU(chars[j]) {
                    if MetaStaffing.isStop(chars[j]) { break }
                    skipped += 1; j += 1
                }
                if j < chars.count, NarrText.isDigitU(chars[j]) {
                    var v = 0
                    var nd = 0
                    while j < chars.count, NarrText.isDigitU(chars[j]), nd < 9 { v = v * 10 + Int(chars[j].value - 0x30); nd += 1; j += 1 }
                    while j < chars.count, NarrText.isSpaceU(chars[j]) { j += 1 }
                    if j < chars.count, chars[j] == "人" || chars[j] == "名" { return v }
                }
            }
            i += 1
        }
        return nil
    }

    static let staffingPieces = ["编制", "人数", "实有", "在职", "退休", "人员", "职工", "核定", "人", "名", "数", "12", "３", "０", "１２",
                                 "1,203", "１，２０３", "，", "。", "：", " ", "\u{3000}", "\u{00A0}", "（", "）", "为", "共", "万元", "≥",
                                 "1.5", "１．５", "％", "个", "\t", "1234567890"]
    static let staffingWords = ["编制人数", "核定编制", "编制数", "实有人数", "实有人员", "在职人数", "在职人员", "在职职工", "在职",
                                "退休人数", "退休人员", "退休"]

    /// `number` read on the unfolded text gives the count it gives on the folded text; read on a
    /// line alone (`stopAtEnd`), a count, or a nil without `reachedEnd`, is the answer on the line
    /// and the lines after it, wherever the line does not end with a proper prefix of the word.
    @Test func countsReadUnfoldedAndOnTheLineAlone() throws {
        let texts = randomTexts(from: Self.staffingPieces, seed: 12_002)
        let seeds = try SharedFiles.seedLines().filter { l in ["编制", "实有", "在职", "退休"].contains { l.has($0) } }
        var lines = texts + seeds
        lines += ["在职人数１２人", "实有人员\u{3000}３０ 名", "退休１，２０３人", "编制人数 12", "编制人数 12", "在职职工"]
        var counted = 0
        var decidedOnLine = 0
        for (n, line) in lines.enumerated() {
            let rest = lines[(n * 7 + 3) % lines.count] + lines[(n * 13 + 5) % lines.count]
            let window = line + rest
            let raw = NarrText.scalars(window), folded = NarrText.scalars(NarrText.foldDigits(window))
            let lineScalars = NarrText.scalars(line)
            for word in Self.staffingWords {
                let w = NarrText.scalars(word)
                let full = MetaStaffing.number(after: w, in: raw, startingBefore: lineScalars.count)
                #expect(full == Self.referenceNumber(after: w, in: folded, startingBefore: lineScalars.count), "\(window.debugDescription) \(word)")
                if full != nil { counted += 1 }
                let wraps = (1..<w.count).contains { line.ends(with: NarrText.str(w[..<$0])) }
                if wraps { continue }
                var reachedEnd = false
                let alone = MetaStaffing.number(after: w, in: lineScalars, startingBefore: lineScalars.count, stopAtEnd: true, reachedEnd: &reachedEnd)
                if alone != nil || !reachedEnd {
                    decidedOnLine += 1
                    #expect(alone == full, "\(line.debugDescription) | \(rest.debugDescription) \(word)")
                }
            }
        }
        #expect(counted > 50)
        #expect(decidedOnLine > 100)
    }

    /// Every staffing word holds its key's stem (a line without the stem is not searched for it).
    @Test func staffingWordsHoldTheirStems() {
        #expect(MetaStaffing.keys.count == MetaStaffing.stems.count)
        for (k, key) in MetaStaffing.keys.enumerated() {
            #expect(key.1.count <= 4)
            for w in key.1 { #expect(w.has(MetaStaffing.stems[k]), "\(w)") }
        }
    }

    /// Counts printed with full-width digits, after a word that wraps onto the next line, and on
    /// a line that ends inside the count.
    @Test func staffingCountsAcrossLines() {
        let text = """
        某某县财政局2025年部门预算
        本部门编制人数４０人，实有人
        数 38
        人。其中在职人数３５人，退
        休人员 3 名。
        """
        let staffing = MetaStaffing.read(SourceText(text).lines)
        #expect(staffing.authorized == 40)
        #expect(staffing.actual == 38)
        #expect(staffing.inService == 35)
        #expect(staffing.retired == 3)
    }
}
