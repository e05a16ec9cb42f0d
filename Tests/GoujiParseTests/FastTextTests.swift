import Foundation
import GoujiTestSupport
@testable import GoujiModel
@testable import GoujiParse
import Testing

/// The byte- and scalar-level text helpers agree with the Character-based reading they replace
/// on the text disclosures print (CJK, full-width forms, ideographic and no-break spaces).
@Suite struct FastTextTests {
    static let samples = [
        "", " ", "\u{3000}", "合计", "  一、基本支出  ", "\u{3000}（一）工资福利支出\u{00A0}", "单位：万元",
        "2,495.56一、本年支出", "[2080109]社会保险经办机构", "【208】 社会保障", "ＡＢＣ１２３", "a\tb\t\tc", " 项目名称\t 社保经费 \t\u{3000}",
        "第 3 页", "- 12 -", "其中：人员经费", "1,234.5", "－１２", "项目 项目 支出",
        "a\u{1680}b\u{2028}c\u{205F}d\u{0085}e\u{2002}f\u{2003}g", "合\u{200B}计\u{2009}、。", "😀 é\u{0301} 合计",
    ]

    @Test func substringPrefixSuffixMatchString() {
        let needles = ["合计", "一、", "支出", "万元", "单位：", "1", " ", "项目", "（一）", "\t", "页"]
        for s in Self.samples {
            for n in needles {
                #expect(s.has(n) == s.contains(n), "has \(s) \(n)")
                #expect(s.begins(with: n) == s.hasPrefix(n), "begins \(s) \(n)")
                #expect(s.ends(with: n) == s.hasSuffix(n), "ends \(s) \(n)")
                let r = s.byteRange(of: n)
                #expect(r.map { String(s[$0]) } == (s.contains(n) ? n : nil), "range \(s) \(n)")
            }
        }
    }

    @Test func lastRangeAndReplace() {
        #expect("采购货物和采购服务".byteRange(of: "采购", backwards: true).map { String("采购货物和采购服务"[$0.upperBound...]) } == "服务")
        #expect("(一)(二)".replacingAll("(", with: "（").replacingAll(")", with: "）") == "（一）（二）")
        #expect("**合计**".replacingAll("**", with: "") == "合计")
        #expect("合计".replacingAll("x", with: "y") == "合计")
    }

    @Test func trimAndSpacesMatchCharacterReading() {
        for s in Self.samples {
            var sub = Substring(s)
            while let f = sub.first, SourceText.isSpace(f) { sub = sub.dropFirst() }
            while let l = sub.last, SourceText.isSpace(l) { sub = sub.dropLast() }
            #expect(SourceText.trim(s) == String(sub), "trim \(s)")
            #expect(FastText.removingSpaces(s) == s.filter { !SourceText.isSpace($0) }, "spaces \(s)")
            #expect(FastText.removingWhitespace(s) == s.filter { !$0.isWhitespace }, "whitespace \(s)")
            #expect(FastText.words(s).map(String.init) == s.split(whereSeparator: { SourceText.isSpace($0) }).map(String.init), "words \(s)")
            #expect(NarrText.tabCells(s) == s.split(separator: "\t", omittingEmptySubsequences: false).map { SourceText.trim($0) }, "tabs \(s)")
        }
    }

    @Test func sourceLinesTrimOnBytes() {
        let src = SourceText("\u{FEFF}  合计  \r\n\u{3000}一、收入\u{3000}\rlast")
        #expect(src.lines.map(\.raw) == ["  合计", "\u{3000}一、收入", "last"])
        #expect(src.lines.map(\.text) == ["合计", "一、收入", "last"])
        #expect(src.lines.map(\.number) == [1, 2, 3])
    }

    @Test func lineEndsSplitAlike() {
        // \n, \r\n and a lone \r each end a line; blank lines count; no end after the last line.
        let src = SourceText("a\rb\r\nc\n\nd\r\r\ne\rf")
        #expect(src.lines.map(\.raw) == ["a", "b", "c", "", "d", "", "e", "f"])
        #expect(src.lines.map(\.number) == Array(1...8))
        #expect(SourceText("x\n").lines.map(\.raw) == ["x"])
        #expect(SourceText("\r\r").lines.map(\.raw) == ["", ""])
    }

    @Test func stripEnumeratorOnScalarsMatchesCharacters() {
        let labels = ["一、基本支出", "（一）工资", "(2)其他", "1、项目", "1.5万元", "十一、合计", "一般公共服务", "①办公",
                      "12.结余", "（十）", "3、", "2）事业", "（1", "一"]
        for l in labels {
            let fast = Label.stripEnumeratorOnScalars(l)
            #expect(fast != nil, "plain label \(l)")
            #expect(fast == Label.stripEnumeratorByCharacters(l), "strip \(l)")
            #expect(Label.stripEnumerator(l) == Label.stripEnumeratorByCharacters(l), "strip \(l)")
        }
        // A combining mark after the enumerator: left to the Character reading.
        #expect(Label.stripEnumeratorOnScalars("1\u{0301}、项目") == nil)
    }

    @Test func plainAmountsMatchAmountReader() {
        for w in ["0", "12", "1414.81", "007", "12.", ".5", "1.2.3", "123456789012345678", "1.123456789", "3.00"] {
            #expect(LineTokens.plainAmount(Substring(w)) ?? Amount(w) == Amount(w), "amount \(w)")
        }
    }
}

/// The byte-range tokenising and the one-pass punctuation test agree with the readings they replace.
@Suite struct LineTokensFastPathTests {
    static let lines = FastTextTests.samples + [
        "  208\t社会保障和就业支出\t1,234.56\t\t12.00", "\t\t合计\t100", "- 一、收入\t5", "**合计**  12.00  3.00",
        "<b>合计</b>  1", "合计\u{00A0} 2024年  12%  3", "（一）工资福利支出  294.15   55.95", "e\u{0301}x  12  3",
        "一、本年收入\u{3000}\u{3000}2,495.56\u{3000}一、本年支出  2,495.56", "[2080109]社会保险经办机构  10.5",
        "－１２  ３４．５  ６", "- 3 -", "1  2  3", "2024 年  合计  1/2", "a\r  b", "　　  ", "-12.5  合计",
    ]

    @Test func byteRangeTokensMatchCellTokens() throws {
        var all = Self.lines
        for url in try SharedData.seedFiles() {
            all += SourceText(try String(contentsOf: url, encoding: .utf8)).lines.map(\.raw)
        }
        for l in all {
            #expect(LineTokens.tokens(l) == LineTokens.tokens(l, viaCells: true), "tokens \(l)")
        }
    }

    @Test func scalarsDecodedOffTheBytes() {
        for s in Self.lines + ["😀合计", "e\u{0301}", "\u{10FFFF}a", "ï½"] {
            #expect(NarrText.scalars(s) == Array(s.unicodeScalars), "scalars \(s)")
        }
    }

    @Test func classificationKeyOnBytes() {
        func reference(_ s: String) -> String {
            String(String.UnicodeScalarView(s.unicodeScalars.compactMap { c -> Unicode.Scalar? in
                switch c {
                case "的", " ", "\t", "\u{3000}": return nil
                case "（": return "("
                case "）": return ")"
                default: return c
                }
            }))
        }
        for s in Self.lines + ["对个人和家庭的补助", "资本性支出（基本建设）", "的", "😀的（a）\u{3000}b", "e\u{0301}的"] {
            #expect(NarrativeClassification.key(s) == reference(s), "key \(s)")
        }
    }

    @Test func sentencePunctuationInOnePass() {
        for s in Self.lines + ["合计。", "a;b", "其中，", "好！", "吗？", "；", "、。", "\u{3001}"] {
            let reference = ["。", "；", ";", "，", "！", "？"].contains { s.contains($0) }
            #expect(RowReader.hasSentencePunctuation(s) == reference, "punctuation \(s)")
        }
    }
}

/// The per-line scalar mask is a sound prefilter: a word that occurs in a line has its bits set.
@Suite struct ScalarMaskTests {
    @Test func wordsInALineAreAllowedByItsMask() throws {
        var lines = LineTokensFastPathTests.lines
        for url in try SharedData.seedFiles() {
            lines += SourceText(try String(contentsOf: url, encoding: .utf8)).lines.map(\.raw)
        }
        let words = ["预算", "决算", "单位", "部门名称", "填报部门", "主管部门", "编制", "实有", "在职", "退休", "部分", "表",
                     "名词解释", "合计", "1", "a", "\t", "：", "万元", "é"]
        for raw in lines {
            let line = SourceLine(number: 1, raw: raw)
            for w in words where raw.has(w) {
                #expect(line.mayContain(ScalarMask.of(w)), "mask \(raw) \(w)")
            }
        }
        // Split lines carry the mask of their bytes, as a line built from its text does.
        let src = SourceText("  合计\t12\n单位：万元\r\n\u{3000}第一部分")
        #expect(src.lines.map(\.mask) == src.lines.map { ScalarMask.of($0.raw) })
        #expect(!SourceLine(number: 1, raw: "合计").mayContain(ScalarMask.of("预算")))
    }
}
