import Testing
import GoujiModel
@testable import GoujiReconcile
import GoujiTestSupport

/// The line scanner asks `doubledLength` about one start per repeated window (the one of at-2,
/// at-1, at that is a Han lead byte): it must still find every doubled word the reference finds,
/// the first one, at every byte offset against the scanner's windows.
@Suite struct Rdoc16Tests {
    /// Lines from a tiny Han alphabet (words double often, of every length 2…9), with one- to
    /// four-byte characters between them so that words start at every offset mod 3.
    static func randomLines(count: Int, maxLength: Int, seed: UInt64) -> [String] {
        let alphabet: [Character] = ["支", "出", "支", "出", "预", "算", "一", "丁", "a", "1", ",", "，", "。", "é",
                                     "\u{1F600}", "\u{4E00}", "\u{9FFF}", "\u{A000}", "\u{3000}", "“", "”", "；", " "]
        var seed = seed
        var lines: [String] = []
        for _ in 0..<count {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(seed >> 33) % (maxLength + 1)
            var line = ""
            for _ in 0..<length {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                line.append(alphabet[Int(seed >> 33) % alphabet.count])
            }
            lines.append(line)
        }
        return lines
    }

    @Test func doubledWordsAgreeWithReference() throws {
        var lines: [String] = []
        for name in try Shared.goldNames() { lines += try Shared.seedLines(name) }
        lines += Self.randomLines(count: 6000, maxLength: 40, seed: 0x2545F4914F6CDD1D)
        lines += Self.randomLines(count: 400, maxLength: 200, seed: 0x9E3779B97F4A7C15)
        // A doubled word after zero to four bytes of one-, two- and four-byte characters (the
        // start before a window at at-2, at-1 or at, and at the line's very start).
        for lead in ["", "a", "ab", "abc", "é", "aé", "\u{1F600}", "a\u{1F600}", "，", "a，"] {
            for word in ["支出支出", "预算一预算一", "一二三四五六七八一二三四五六七八", "一二三四五六七八九一二三四五六七八九", "支出支", "支支出支支出"] {
                lines += [lead + word, lead + word + "a", lead + "支" + word, lead + word + word]
            }
        }
        FastTextTests.expectScanAgreesWithReference(lines, limits: [DocumentRules.LineScanner.slotPositionLimit, 256])
    }
}
