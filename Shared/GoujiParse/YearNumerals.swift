/// Years printed in Chinese numerals (`二〇二五年`, `二零二五年度`, and `二○二五年` with the white circle
/// extraction often gives for 〇), as covers and titles of some disclosures print them.
///
/// The metadata readers look for four ASCII digits before 年 (after `NarrText.foldDigits`);
/// `folding(_:)` rewrites such a year into those digits first, so the same readers find it.
/// Only a run of exactly four numerals before 年 (spaces allowed between) holding a zero numeral
/// (every year 2000–2099 does) and reading 1990–2100 is a year: `十二年` or `一二三四年` is not.
enum YearNumerals {
    /// The numeral's digit (〇 零 ○ 一 … 九), nil for any other scalar.
    static func digit(_ v: UInt32) -> Int? {
        switch v {
        case 0x3007, 0x96F6, 0x25CB: return 0   // 〇 零 ○
        case 0x4E00: return 1                   // 一
        case 0x4E8C: return 2                   // 二
        case 0x4E09: return 3                   // 三
        case 0x56DB: return 4                   // 四
        case 0x4E94: return 5                   // 五
        case 0x516D: return 6                   // 六
        case 0x4E03: return 7                   // 七
        case 0x516B: return 8                   // 八
        case 0x4E5D: return 9                   // 九
        default: return nil
        }
    }

    /// The text with every year in Chinese numerals written in ASCII digits; the text itself when
    /// it has none (a line without a zero numeral is returned after one byte search per numeral).
    static func folding(_ text: String) -> String {
        guard zeros.contains(where: { NarrText.has(text, $0) }) else { return text }
        var scalars = Array(text.unicodeScalars)
        var changed = false
        var i = 0
        while i < scalars.count {
            guard digit(scalars[i].value) != nil else {
                i += 1
                continue
            }
            var j = i
            var value = 0
            var hasZero = false
            while j < scalars.count, let d = digit(scalars[j].value) {
                value = value &* 10 &+ d
                if d == 0 { hasZero = true }
                j += 1
            }
            var k = j
            while k < scalars.count, NarrText.isSpaceU(scalars[k]) { k += 1 }
            if j - i == 4, hasZero, (1990...2100).contains(value), k < scalars.count, scalars[k] == "年" {
                var v = value
                for p in stride(from: j - 1, through: i, by: -1) {
                    scalars[p] = Unicode.Scalar(UInt8(0x30 + v % 10))
                    v /= 10
                }
                changed = true
            }
            i = j
        }
        guard changed else { return text }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    /// The zero numerals: a year 2000–2099 holds one, so a text without any needs no reading.
    private static let zeros = ["〇", "零", "○"]
}
