import Foundation
@testable import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 11 of the narrative reader: each shortcut held to the reading it stands for, on random
/// inputs and on every line of the seeds.
@Suite struct ParseRound11NarrativeTests {
    /// `NarrText.firstAmount` (read on the bytes where every scalar is its own Character) gives the
    /// Character reading's amount, on texts with digits, separators at either end of a number,
    /// full-width digits, and scalars that send it to the Character reading (combining marks, CR).
    @Test func firstAmountOnBytesMatchesTheCharacterReading() throws {
        let pieces = ["1", "23", "4.5", ",", ".", "1,200", "3.", ",5", "１２", "．", "，", "％", "万元", "项目", "名称", " ", "\u{3000}",
                      "\u{00A0}", "\r", "\r\n", "\u{301}", "e\u{301}", "1\u{301}", "\u{F900}", "😀", "a", "-", "99999999999999999999", "0.000000001"]
        var texts = randomTexts(from: pieces, seed: 11_001)
        texts += try SharedFiles.seedLines()
        for t in texts {
            let fast = NarrText.firstAmount(in: t)
            let slow = NarrText.firstAmountByCharacters(NarrText.foldDigits(t))
            #expect(fast == slow, "\(t.debugDescription)")
        }
    }

    /// `NarrTableIndex.Tail.mayEnd` is a necessary condition of `ends(with:)`: wherever a name's
    /// bytes end a label, its tail passes (names and labels of every length around eight bytes).
    @Test func tailsPassEveryNameThatEndsALabel() throws {
        let pieces = ["支出", "出", "行政运行", "其他", "a", "ab", "(项)", "（款）", "为", "é", "e\u{301}", "😀", "\u{F900}", "1", " "]
        let texts = randomTexts(from: pieces, seed: 11_002) + (try SharedFiles.seedLines()).prefix(2000)
        var g = SplitMix64(seed: 11_003)
        var passed = 0
        for label in texts {
            let lt = NarrTableIndex.Tail(label)
            let bytes = Array(label.utf8)
            // Every byte suffix that is whole UTF-8, and some unrelated names.
            for k in 0...min(bytes.count, 24) {
                let suffix = String(decoding: bytes[(bytes.count - k)...], as: UTF8.self)
                guard Array(suffix.utf8) == Array(bytes[(bytes.count - k)...]) else { continue }
                #expect(NarrTableIndex.Tail(suffix).mayEnd(lt) == true, "\(label.debugDescription) \(suffix.debugDescription)")
                passed += 1
            }
            let other = texts[g.int(0...(texts.count - 1))]
            if !label.ends(with: other), NarrTableIndex.Tail(other).mayEnd(lt), other.utf8.count <= 8 {
                Issue.record("a name of up to eight bytes that does not end the label passes: \(label.debugDescription) \(other.debugDescription)")
            }
        }
        #expect(passed > 1000)
    }

    /// `NarrScanner.isVerbEnd` answers true for exactly the last scalars of the change verbs, and
    /// `isIdeograph` for none of the scalars the walks back from a number stop at or skip.
    @Test func scalarClassesMatchTheirWords() {
        let lasts = Set(NarrScanner.allVerbsU.compactMap(\.last))
        for v in UInt32(0)...0x2FFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            #expect(NarrScanner.isVerbEnd(u) == lasts.contains(u), "\(v)")
            if NarrScanner.isIdeograph(u) {
                let stops = NarrScanner.isBoundary(u) || NarrScanner.isColon(u) || NarrText.isSpaceU(u)
                    || u == "（" || u == "(" || u == "）" || u == ")"
                #expect(!stops, "\(v)")
            }
        }
    }
}
