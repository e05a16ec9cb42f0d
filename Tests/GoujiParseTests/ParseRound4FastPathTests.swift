@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 4 of the parser's fast paths: each new reading held to the one it replaced (kept here as
/// the oracle) on random inputs.
@Suite struct ParseRound4FastPathTests {
    /// `ScalarMask.of` as it was before its wrapping arithmetic.
    static func referenceMask(_ buf: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var m: UInt64 = 0
        var i = 0
        let n = buf.count
        while i < n {
            let b = buf[i]
            if b < 0x80 {
                m |= 1 << UInt64(b & 63)
                i += 1
                continue
            }
            if b >= 0xE0 && b < 0xF0 && i + 3 <= n {
                let h = UInt32(buf[i + 2]) &+ UInt32(buf[i + 1]) &* 7
                m |= 1 << UInt64(h & 63)
                i += 3
                continue
            }
            let len = b < 0xE0 ? 2 : (b < 0xF0 ? 3 : 4)
            let end = min(i + len, n)
            let prev = end - 2 >= i ? buf[end - 2] : 0
            let h = UInt32(buf[end - 1]) &+ UInt32(prev) &* 7
            m |= 1 << UInt64(h & 63)
            i = end
        }
        return m
    }

    static let pieces = ["合计", "一、收入", "1,234.56", "２０２４", "，", "：", "（一）", "\u{3000}", "\u{A0}", "\u{2002}", " ", "\t",
                         "\0", "@", "a\0b", "é", "e\u{301}", "😀", "\u{FEFF}", "［208］", "—", "*", "<b>", "-", "单位：万元",
                         "\n", "\r", "\r\n", "％", "．", "ab", "表"]

    @Test func scalarMaskMatchesTheReference() {
        var inputs = randomTexts(from: ParseRound4FastPathTests.pieces, seed: 2026_12_02_4)
        // Cut byte ranges too (a range that ends inside a scalar reads its lead byte's length).
        inputs += ["", "\0", "\u{3000}", "😀😀", "表"]
        for s in inputs {
            let bytes = Array(s.utf8)
            bytes.withUnsafeBufferPointer { buf in
                #expect(ScalarMask.of(buf) == ParseRound4FastPathTests.referenceMask(buf), "\(s.debugDescription)")
                for cut in 0..<min(buf.count, 8) {
                    let part = UnsafeBufferPointer(rebasing: buf[0..<(buf.count - cut)])
                    #expect(ScalarMask.of(part) == ParseRound4FastPathTests.referenceMask(part))
                }
            }
        }
    }

    /// A line with a NUL is found through its mask's bit 0 (the memchr only when it is set):
    /// the lines are those of the decoding reading (`SourceTextSlicingTests.referenceLines`), the
    /// text searched for \r once.
    @Test func linesWithNulAndLineEndsMatchTheReference() {
        let inputs = randomTexts(from: ParseRound4FastPathTests.pieces, seed: 2026_12_02_5)
            + ["a\0", "\0\r\0\n\0", "@\0@", "\u{3000}\0\u{3000}", "\r\r\n\n", "x\r", "x\ry\r\nz\n"]
        for s in inputs {
            #expect(SourceText(s).lines == SourceTextSlicingTests.referenceLines(s), "\(s.debugDescription)")
        }
    }
}
