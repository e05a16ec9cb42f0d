@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 5 of the parser's fast paths: each new reading held to the one it replaced (kept as the
/// oracle) on random inputs.
@Suite struct ParseRound5FastPathTests {
    /// `LineTokens.cellRanges(_:into:)` with its ideograph step (a scalar led by E4…E9 inside an
    /// open cell only moves the cell's end) reads the cells of the reference reading
    /// (`ParseRound3FastPathTests.referenceCellRanges`): lines dense in ideographs, cells
    /// separated by every kind of space run, and lines that end in a cut scalar's bytes.
    @Test func ideographStepMatchesReference() {
        let pieces = ["合计", "基本支出", "社会保障和就业支出", "一", "鿿", "䀀", "行政运行", "1,148.95", "0.00", "-3", " ", "  ", "   ",
                      "\u{3000}", "\u{3000}\u{3000}", "\u{00A0}", "\u{2002}", "\u{2003}", "\t", "a", "Ｂ", "（", "）", "、",
                      "\u{301}", "😀", "\u{FF9E}", "<", "*"]
        var lines = randomTexts(from: pieces, seed: 5_005)
        lines += ["[208]社会保障和就业支出  2,957.80  1,520.31", "\u{3000}行政运行  1,148.95", "合计  一般公共预算拨款收入  3.0"]
        #expect(Self.cellRangesMatchingReference(lines) > 1000)
    }

    /// Holds `LineTokens.cellRanges` to `ParseRound3FastPathTests.referenceCellRanges` on each
    /// line, also cut short by one and two bytes (a three-byte scalar broken at the end) and with
    /// a buffer too small for its cells; returns how many readings found cells (and agreed).
    static func cellRangesMatchingReference(_ lines: [String]) -> Int {
        var read = 0
        for line in lines {
            var copy = line
            copy.withUTF8 { buf in
                for cut in 0...min(2, buf.count) {
                    let part = UnsafeBufferPointer(rebasing: buf[0..<(buf.count - cut)])
                    for capacity in [3 * (part.count + 1), 6] {
                        withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { a in
                            withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { b in
                                let new = LineTokens.cellRanges(part, into: a)
                                let old = ParseRound3FastPathTests.referenceCellRanges(part, into: b)
                                #expect(new == old, "\(line.debugDescription) cut \(cut)")
                                if let count = new, count > 0, new == old {
                                    read += 1
                                    #expect(Array(a[0..<(3 * count)]) == Array(b[0..<(3 * count)]), "\(line.debugDescription) cut \(cut)")
                                }
                            }
                        }
                    }
                }
            }
        }
        return read
    }
}
