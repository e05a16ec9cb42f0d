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
}
