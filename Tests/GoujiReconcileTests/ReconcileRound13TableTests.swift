import Foundation
import Testing
import GoujiModel
@testable import GoujiReconcile
import GoujiTestSupport

/// The table side's fast paths of round 13 against the readings they stand for: a list's "其中"
/// lines found on bytes (`TableRules.startsWithOfWhich`) against `hasPrefix`.
@Suite struct ReconcileRound13TableTests {
    static func simple(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable(DocumentRules.isSimple) ?? false
    }

    /// `startsWithOfWhich` is `hasPrefix("其中")` on labels made of pieces that touch its edges
    /// (the two characters apart, a combining mark, a joiner, a compatibility ideograph, a
    /// full-width colon, ASCII), and on every line of every seed and every gold label.
    @Test func ofWhichByBytesIsHasPrefix() throws {
        let pieces = ["其中", "其", "中", "：", ":", "\u{0301}", "\u{200D}", "\u{FE0F}", "\u{F900}", "\u{2F00}",
                      "（一）", "a", " ", "人员经费", "其中：", "\u{3000}", "１", "e\u{0301}"]
        var labels: [String] = []
        var g = SplitMix64(seed: 1301)
        for _ in 0..<5000 {
            labels.append((0..<g.int(0...4)).map { _ in pieces[g.int(0...(pieces.count - 1))] }.joined())
        }
        for name in try Shared.goldNames() {
            labels += try Shared.seedLines(name)
            for t in try Shared.gold(name).tables { labels += t.rows.map(\.label) }
        }
        var ofWhich = 0
        for l in labels {
            let expected = l.hasPrefix("其中")
            #expect(TableRules.startsWithOfWhich(l, simple: Self.simple(l)) == expected, "\(l)")
            #expect(TableRules.startsWithOfWhich(l, simple: false) == expected, "\(l)")
            if expected { ofWhich += 1 }
        }
        #expect(ofWhich > 100)
    }
}
