@testable import GoujiParse
import GoujiTestSupport
import Testing

/// `FastText.copy` copies a range of a String's bytes into a new String without validating them
/// (or, where that is not available, decodes a range of at most 15 bytes, a small String, instead of
/// slicing): on random texts and random ranges between scalars it must give the String `slice`
/// gives, byte for byte, and flagged ASCII alike. (Lines and text tokens made through it are compared
/// with their decoding readings in `SourceTextSlicingTests`.)
@Suite struct ByteSliceStringTests {
    static let pieces = ["合计", "一、收入", "1,234.56", "２０２４", "12.5", " ", "  ", "\t", "\u{3000}", "\u{A0}", "a", "Z", "é",
                         "e\u{301}", "😀", "［208］", "—", "*", "<b>", "-", "单位：万元", "工资福利支出", "\u{FEFF}"]

    /// Also with an origin (the bytes start part way into the String, as the cell reader's do; zero
    /// in half the cases), and `FastText.isASCII`'s flag against the bytes'.
    @Test func copyEqualsSlice() {
        var g = SplitMix64(seed: 2026_12_02)
        for _ in 0..<3000 {
            var s = ""
            for _ in 0..<g.int(0...12) { s += Self.pieces[g.int(0...(Self.pieces.count - 1))] }
            // Scalar boundaries of `s`, as byte offsets.
            var bounds = [0]
            for u in s.unicodeScalars { bounds.append(bounds[bounds.count - 1] + UTF8.width(u)) }
            let origin = g.int(0...1) == 0 ? 0 : bounds[g.int(0...(bounds.count - 1))]
            let local = bounds.filter { $0 >= origin }.map { $0 - origin }
            for _ in 0..<8 {
                let a = local[g.int(0...(local.count - 1))]
                let b = local[g.int(0...(local.count - 1))]
                let r = min(a, b)..<max(a, b)
                let viaSlice = FastText.slice(s, (origin + r.lowerBound)..<(origin + r.upperBound))
                let isASCII = Array(s.utf8)[(origin + r.lowerBound)..<(origin + r.upperBound)].allSatisfy { $0 < 0x80 }
                let viaCopy = FastText.scanUTF8(s) { whole in
                    let buf = UnsafeBufferPointer(rebasing: whole[origin...])
                    #expect(FastText.isASCII(UnsafeBufferPointer(rebasing: buf[r])) == isASCII || r.count <= FastText.smallStringBytes)
                    return FastText.copy(r, of: s, bytes: buf, origin: origin, isASCII: isASCII)
                }
                #expect(viaCopy == viaSlice, "\(Array(s.utf8)) \(origin) \(r)")
                #expect(Array(viaCopy.utf8) == Array(viaSlice.utf8), "\(Array(s.utf8)) \(origin) \(r)")
                if #available(macOS 26.0, *) {
                    #expect(viaCopy.utf8Span.isKnownASCII == viaSlice.utf8Span.isKnownASCII, "\(Array(s.utf8)) \(origin) \(r)")
                }
            }
        }
    }

    /// Short and long lines and text tokens alike equal their decoded bytes.
    @Test func shortAndLongLinesAndTokens() {
        let lines = ["合计", "一二三四五", "一二三四五六", "  一二三四五  ", "abcdefghijklmno", "abcdefghijklmnop", "\u{3000}合计\u{3000}",
                     "一般公共预算 12.5", "工资福利支出  1,234.56  7.00", "a b\t工资福利支出\t3"]
        let joined = lines.joined(separator: "\n")
        let reference = SourceTextSlicingTests.referenceLines(joined)
        #expect(SourceText(joined).lines == reference)
        #expect(SourceText(joined).lines.map { Array($0.text.utf8) } == reference.map { Array($0.text.utf8) })
        for l in lines {
            #expect(LineTokens.tokens(l) == LineTokens.tokens(l, copyRuns: true), "\(l)")
        }
    }
}
