@testable import GoujiModel
@testable import GoujiParse
import Testing

/// The text side's byte and scalar shortcuts (round 4) agree with the readings they replace.
@Suite struct TextSideFastPathTests {
    static let samples = [
        "", " ", "\u{3000}", "合计", "  一、基本支出  ", "\u{3000}（一）工资福利支出\u{00A0}", "单位：万元",
        "２０２４年部门预算", "１，２０３．５０万元", "1，203", "12，3456", "增长５％", "a\tb", "**合计**",
        "<p>说明</p>", "- 12 -", "😀 é\u{0301} 合计", "豈", "\u{F900}", "合计\u{2003}",
    ]

    /// The reference fold: scalar by scalar, then a full-width comma between digits.
    static func referenceFold(_ s: String) -> String {
        var out: [Unicode.Scalar] = []
        for u in s.unicodeScalars {
            let v = u.value
            if v >= 0xFF10 && v <= 0xFF19, let a = Unicode.Scalar(v - 0xFEE0) { out.append(a) }
            else if v == 0xFF05 { out.append("%") }
            else if v == 0xFF0E { out.append(".") }
            else if v == 0x3000 || v == 0xA0 { out.append(" ") }
            else { out.append(u) }
        }
        func digit(_ k: Int) -> Bool { k >= 0 && k < out.count && out[k].value >= 0x30 && out[k].value <= 0x39 }
        for k in out.indices where out[k] == "，" {
            if digit(k - 1), digit(k + 1), digit(k + 2), digit(k + 3), !digit(k + 4) { out[k] = "," }
        }
        var v = String.UnicodeScalarView()
        v.append(contentsOf: out)
        return String(v)
    }

    @Test func foldDigitsMatchesTheScalarFold() {
        for s in Self.samples {
            #expect(NarrText.foldDigits(s).unicodeScalars.elementsEqual(Self.referenceFold(s).unicodeScalars), "\(s)")
        }
    }

    @Test func scalarHelpersMatchTheScalarView() {
        for s in Self.samples {
            #expect(Scalars.first(s) == s.unicodeScalars.first)
            #expect(Scalars.last(s) == s.unicodeScalars.last)
            #expect(Scalars.count(s) == s.unicodeScalars.count)
            #expect(Scalars.hasTwoCharacters(s) == (s.count >= 2))
            #expect(NarrText.scalars(s) == Array(s.unicodeScalars))
        }
    }

    @Test func stripDebrisCleanTextIsItself() {
        for s in Self.samples where NarrText.isClean(s) {
            #expect(NarrText.stripDebris(s).utf8.elementsEqual(s.utf8), "\(s)")
        }
        #expect(!NarrText.isClean("**合计**"))
        #expect(!NarrText.isClean("合计\u{3000}"))
        #expect(NarrText.stripDebris("**合计**") == "合计")
    }

    @Test func classificationKey() {
        #expect(NarrativeClassification.key("对个人和家庭的补助") == "对个人和家庭补助")
        #expect(NarrativeClassification.key("资本性支出（基本建设）") == "资本性支出(基本建设)")
        #expect(NarrativeClassification.key("行政 运行\u{3000}") == "行政运行")
        #expect(NarrativeClassification.key("行政运行") == "行政运行")
    }

    @Test func nfcInertTexts() {
        #expect(NFCInert.check("社会保障和就业支出（类）"))
        #expect(NFCInert.check("abc 123"))
        // A compatibility ideograph is canonically equal to its unified one: not inert.
        #expect(!NFCInert.check("\u{F900}"))
        #expect(!NFCInert.check("é"))
        #expect(ByteKey(text: "合计") == ByteKey(text: "合计"))
    }

    @Test func budgetMentions() {
        let m = MetaScan.budgetMentions("2024 年 部门预算")
        #expect(m.count == 1 && m[0].0 == 2024 && m[0].1 == .budget && m[0].2 == .department)
        let u = MetaScan.budgetMentions("南昌市2023年度单位决算，预算单位")
        #expect(u.count == 1 && u[0].0 == 2023 && u[0].1 == .finalAccounts && u[0].2 == .unit)
        #expect(MetaScan.budgetMentions("预算单位 预算科目").isEmpty)
        #expect(MetaScan.budgetMentions("123456789012345678901234年预算").isEmpty)
    }

    @Test func headingRejectsOnFirstScalar() {
        #expect(NarrHeading.level("一、部门主要职责") == 1)
        #expect(NarrHeading.level("（二）机构设置") == 2)
        #expect(NarrHeading.level("3、项目") == 3)
        #expect(NarrHeading.level("部门主要职责") == nil)
    }
}

extension TextSideFastPathTests {
    @Test func scalarsToTextRoundTrips() {
        for s in Self.samples + ["\u{10FFFF}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}"] {
            let u = Array(s.unicodeScalars)
            #expect(NarrText.str(u).utf8.elementsEqual(s.utf8))
            #expect(NarrText.str(u[...]).utf8.elementsEqual(s.utf8))
            #expect(NarrText.str(u.reversed()).unicodeScalars.elementsEqual(u.reversed()))
        }
    }
}

extension TextSideFastPathTests {
    @Test func tokensAreTheWords() {
        for s in Self.samples + ["项目 预算数\t 合计\u{3000}12.5 \u{00A0}x"] {
            #expect(NarrText.tokens(s) == FastText.words(s).map(String.init))
        }
    }
}
