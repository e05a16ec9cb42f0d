@testable import GoujiModel
@testable import GoujiParse
import Testing

/// The text side's round-5 shortcuts agree with the readings they replace.
@Suite struct TextSideRound5Tests {
    /// Number texts as the narrative scan cuts them (a digit first; `,` or `.` each before a digit),
    /// and a few it never cuts.
    static let numbers = [
        "0", "7", "120", "1,414.81", "1414.81", "3.5", "0.00", "12,345,678", "1.2.3", "1,2.3", "1.2,3",
        "123456789012345678901234", "9223372036854775807", "9223372036854775808", "1.123456789", "1.12345678",
        "12.30", "2024", "",
    ]

    @Test func scalarAmountMatchesTheTextReading() {
        for n in Self.numbers {
            let scalars = Array(n.unicodeScalars)
            #expect(NarrScanner.amount(scalars[...]) == Amount(n), "\(n)")
        }
    }

    /// The reference: a proper prefix of a level word, compared as the reader did before.
    static func referenceIsPrefix(_ s: String) -> Bool {
        ProjIndicators.mayStartWord(s) && ProjIndicators.allWords.contains { $0.begins(with: s) && $0 != s }
    }

    @Test func prefixOfWordMatchesTheWordScan() {
        var samples = ["", "产", "产出", "产出指", "产出指标", "满意度", "满意度指标", "服务对象满意度指", "数量指标值", "经济", "a", "产x", "社会效益指标"]
        for w in ProjIndicators.allWords {
            let u = Array(w.unicodeScalars)
            for k in 0...u.count { samples.append(NarrText.str(u[..<k])) }
            samples.append(w + "标")
        }
        for s in samples {
            #expect(ProjIndicators.isPrefixOfWord(s) == Self.referenceIsPrefix(s), "\(s)")
        }
    }

    /// The reference: 第 first and 部分 among the first six scalars, on an array of them.
    static func referencePartTitle(_ t: String) -> Bool {
        let head = Array(t.unicodeScalars.prefix(6))
        guard head.first == "第" else { return false }
        return NarrText.hasU(head[...], NarrText.scalars("部分"))
    }

    @Test func partTitleAndHeadingLevels() {
        let samples = [
            "", "第", "第三部分", "第三部分 情况说明", "第十一部分", "第一二三四部分", "第一二三四五部分", "部分", "第部分",
            "第1部分", "一、收支总体情况", "（一）基本支出", "(二) 项目", "1. 工资", "1.5万元", "12、", "123、", "⑴ 项目", "(3) 其他",
            "（12）", "十一、其他", "一般公共预算", "第三部", "第三部 分",
        ]
        for t in samples {
            #expect(NarrRegion.isPartTitle(t) == Self.referencePartTitle(t), "\(t)")
        }
        #expect(NarrHeading.level("第三部分 情况说明") == 0)
        #expect(NarrHeading.level("一、收支总体情况") == 1)
        #expect(NarrHeading.level("（一）基本支出") == 2)
        #expect(NarrHeading.level("( 二 ) 项目") == 2)
        #expect(NarrHeading.level("1. 工资") == 3)
        #expect(NarrHeading.level("1.5万元") == nil)
        #expect(NarrHeading.level("12、计划") == 3)
        #expect(NarrHeading.level("123、计划") == nil)
        #expect(NarrHeading.level("⑴ 项目") == 4)
        #expect(NarrHeading.level("(3) 其他") == 4)
        #expect(NarrHeading.level("一般公共预算") == nil)
        #expect(NarrHeading.level("第三部") == nil)
    }
}
