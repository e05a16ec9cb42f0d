@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 4 of the parser's fast paths: each new reading held to the one it replaced (kept here as
/// the oracle) on random inputs.
@Suite struct ParseRound4FastPathTests {
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
                #expect(ScalarMask.of(buf) == TableFastPathRound5Tests.referenceMask(buf), "\(s.debugDescription)")
                for cut in 0..<min(buf.count, 8) {
                    let part = UnsafeBufferPointer(rebasing: buf[0..<(buf.count - cut)])
                    #expect(ScalarMask.of(part) == TableFastPathRound5Tests.referenceMask(part))
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

/// The narrative's byte scans: the fold check steps over runs of ideographs, the scalar decoder
/// reads runs of three-byte scalars in a loop of its own.
@Suite struct NarrativeScanRound4Tests {
    /// `NarrText.foldDigits`' check as it was: scalar by scalar, the lead bytes EF, E3, C2 read closer.
    static func referenceFoldMayChange(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = buf.count
        var i = 0
        while i < n {
            let b = buf[i]
            if b < 0x80 { i += 1; continue }
            if b == 0xEF {
                if i + 2 < n, buf[i + 1] == 0xBC {
                    let c = buf[i + 2]
                    if (c >= 0x90 && c <= 0x99) || c == 0x85 || c == 0x8E { return true }
                    if c == 0x8C, i > 0, buf[i - 1] >= 0x30, buf[i - 1] <= 0x39 { return true }
                }
                i += 3
                continue
            }
            if b == 0xE3 {
                if i + 2 < n, buf[i + 1] == 0x80, buf[i + 2] == 0x80 { return true }
                i += 3
                continue
            }
            if b == 0xC2 {
                if i + 1 < n, buf[i + 1] == 0xA0 { return true }
                i += 2
                continue
            }
            i += b < 0xE0 ? 2 : (b < 0xF0 ? 3 : 4)
        }
        return false
    }

    /// `NarrText.decodeScalars` as it was: one scalar per step.
    static func referenceDecode(_ buf: UnsafeBufferPointer<UInt8>) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var i = 0
        let n = buf.count
        while i < n {
            let b0 = buf[i]
            if b0 < 0x80 { out.append(Unicode.Scalar(b0)); i += 1; continue }
            var v: UInt32
            var len: Int
            if b0 >= 0xE0 && b0 < 0xF0 && i + 2 < n {
                v = (UInt32(b0 & 0x0F) << 12) | (UInt32(buf[i + 1] & 0x3F) << 6) | UInt32(buf[i + 2] & 0x3F)
                len = 3
            } else {
                if b0 < 0xE0 { v = UInt32(b0 & 0x1F); len = 2 }
                else if b0 < 0xF0 { v = UInt32(b0 & 0x0F); len = 3 }
                else { v = UInt32(b0 & 0x07); len = 4 }
                var c = 1
                while c < len && i + c < n { v = (v << 6) | UInt32(buf[i + c] & 0x3F); c += 1 }
            }
            out.append(Unicode.Scalar(v) ?? "\u{FFFD}")
            i += len
        }
        return out
    }

    static let pieces = ["预算", "１２３", "1，234", "１，２３４", "，", "。", "、", "\u{3000}", "\u{A0}", "％", "．", "年度",
                         "—", "“", "é", "😀", "ab", "9", "（", "）", "：", "一", "龥", "丏", "\u{4000}", "\u{9FFF}", "\u{A000}",
                         "\u{E000}", "\u{FFFD}", "\t", " "]

    @Test func foldCheckMatchesTheReference() {
        let texts = randomTexts(from: NarrativeScanRound4Tests.pieces, seed: 2026_12_02_6)
        for s in texts {
            let bytes = Array(s.utf8)
            bytes.withUnsafeBufferPointer { buf in
                #expect(NarrText.foldMayChange(buf) == NarrativeScanRound4Tests.referenceFoldMayChange(buf), "\(s.debugDescription)")
                // Byte ranges cut inside a scalar too (a read past the end would show here).
                for cut in 0..<min(buf.count + 1, 4) {
                    let part = UnsafeBufferPointer(rebasing: buf[0..<(buf.count - cut)])
                    #expect(NarrText.foldMayChange(part) == NarrativeScanRound4Tests.referenceFoldMayChange(part))
                }
            }
        }
    }

    @Test func decodedScalarsMatchTheReference() {
        let texts = randomTexts(from: NarrativeScanRound4Tests.pieces, seed: 2026_12_02_7)
        for s in texts {
            let bytes = Array(s.utf8)
            bytes.withUnsafeBufferPointer { buf in
                for cut in 0..<min(buf.count + 1, 4) {
                    let part = UnsafeBufferPointer(rebasing: buf[0..<(buf.count - cut)])
                    let decoded = [Unicode.Scalar](unsafeUninitializedCapacity: part.count) { out, count in
                        count = NarrText.decodeScalars(part, into: out)
                    }
                    #expect(decoded == NarrativeScanRound4Tests.referenceDecode(part), "\(s.debugDescription) cut \(cut)")
                }
            }
            #expect(NarrText.scalars(s) == Array(s.unicodeScalars))
        }
    }
}

/// FastText's scans step over runs of ideographs (lead bytes E4–E9) in loops of their own.
@Suite struct FastTextRound4Tests {
    /// `FastText.mayHaveWhitespace` as it was: scalar by scalar.
    static func referenceMayHaveWhitespace(_ s: String) -> Bool {
        let buf = Array(s.utf8)
        var i = 0
        let n = buf.count
        while i < n {
            let b = buf[i]
            if b < 0x80 {
                if b == 0x20 || (b >= 0x09 && b <= 0x0D) { return true }
            } else if b == 0xC2 || b == 0xE1 {
                return true
            } else if b == 0xE2 {
                if i + 1 < n, buf[i + 1] == 0x80 || buf[i + 1] == 0x81 { return true }
            } else if b == 0xE3 {
                if i + 2 < n, buf[i + 1] == 0x80, buf[i + 2] == 0x80 { return true }
            }
            i += FastText.scalarLength(lead: b)
        }
        return false
    }

    /// `FastText.characterCount` as it was: every scalar decoded.
    static func referenceCharacterCount(_ s: String) -> Int {
        let fast = Array(s.utf8).withUnsafeBufferPointer { buf -> Int in
            var count = 0
            var i = 0
            while i < buf.count {
                guard let (v, len) = FastText.decodeScalar(buf, at: i) else { return -1 }
                guard FastText.isOwnCharacter(v) else { return -1 }
                count += 1
                i += len
            }
            return count
        }
        return fast >= 0 ? fast : s.count
    }

    /// `FastText.removingScalars` as it was: every byte of a scalar not asked about copied alone.
    static func referenceRemovingScalars(_ s: String, where drop: (Unicode.Scalar) -> Bool) -> [UInt8] {
        let buf = Array(s.utf8)
        let n = buf.count
        var out: [UInt8] = []
        var i = 0
        while i < n {
            let b0 = buf[i]
            if b0 < 0x80 {
                if !drop(Unicode.Scalar(b0)) { out.append(b0) }
                i += 1
            } else if b0 == 0xC2, i + 1 < n {
                let v = (UInt32(b0 & 0x1F) << 6) | UInt32(buf[i + 1] & 0x3F)
                if !(Unicode.Scalar(v).map(drop) ?? false) { out += [b0, buf[i + 1]] }
                i += 2
            } else if b0 >= 0xE1 && b0 <= 0xE3, i + 2 < n {
                let v = (UInt32(b0 & 0x0F) << 12) | (UInt32(buf[i + 1] & 0x3F) << 6) | UInt32(buf[i + 2] & 0x3F)
                if !(Unicode.Scalar(v).map(drop) ?? false) { out += [b0, buf[i + 1], buf[i + 2]] }
                i += 3
            } else {
                out.append(b0)
                i += 1
            }
        }
        return out
    }

    /// `FastText.hasDigit` as it was: byte by byte.
    static func referenceHasDigit(_ s: String) -> Bool {
        let buf = Array(s.utf8)
        var i = 0
        while i < buf.count {
            let b = buf[i]
            if b >= 0x30 && b <= 0x39 { return true }
            if b == 0xEF, i + 2 < buf.count, buf[i + 1] == 0xBC, buf[i + 2] >= 0x90 && buf[i + 2] <= 0x99 { return true }
            i += 1
        }
        return false
    }

    static let pieces = ["预算", "一般公共", " ", "\t", "\n", "\u{3000}", "\u{A0}", "\u{2002}", "\u{2003}", "\u{2028}", "\u{1680}",
                         "\u{85}", "，", "。", "（", "）", "１２", "12", "ab", "é", "e\u{301}", "😀", "\u{4000}", "\u{9FFF}",
                         "\u{A000}", "\u{3FFF}", "\u{E000}", "\r\n", "—", "“", "表", "０", "９", "５", "１２３", "7"]

    @Test func scansMatchTheirReferences() {
        for s in randomTexts(from: FastTextRound4Tests.pieces, seed: 2026_12_02_8) {
            #expect(FastText.mayHaveWhitespace(s) == FastTextRound4Tests.referenceMayHaveWhitespace(s), "\(s.debugDescription)")
            #expect(FastText.characterCount(s) == FastTextRound4Tests.referenceCharacterCount(s), "\(s.debugDescription)")
            #expect(FastText.hasDigit(s) == FastTextRound4Tests.referenceHasDigit(s), "\(s.debugDescription)")
            #expect(Array(FastText.removingScalars(s, where: FastText.isWhitespaceScalar).utf8)
                    == FastTextRound4Tests.referenceRemovingScalars(s, where: FastText.isWhitespaceScalar), "\(s.debugDescription)")
            #expect(Array(FastText.removingSpaces(s).utf8)
                    == FastTextRound4Tests.referenceRemovingScalars(s, where: SourceText.isSpaceScalar), "\(s.debugDescription)")
            // Substrings too (`characterCount` takes any StringProtocol).
            if let cut = s.firstIndex(where: { _ in true }) {
                let sub = s[s.index(after: cut)...]
                #expect(FastText.characterCount(sub) == FastTextRound4Tests.referenceCharacterCount(String(sub)))
            }
        }
    }
}

/// Word splitting at space scalars steps over runs of ideographs (`FastText.nonSpaceStep`).
@Suite struct WordSplitRound4Tests {
    /// `FastText.forEachWord` as it was: byte by byte between space scalars.
    static func referenceWordRanges(_ buf: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = -1
        var i = 0
        while i < buf.count {
            let n = FastText.spaceLength(buf, at: i)
            if n > 0 {
                if start >= 0 { out.append(start..<i); start = -1 }
                i += n
            } else {
                if start < 0 { start = i }
                i += 1
            }
        }
        if start >= 0 { out.append(start..<buf.count) }
        return out
    }

    @Test func wordRangesMatchTheReference() {
        let pieces = FastTextRound4Tests.pieces + ["208", "01", "基本支出", "1,234.56", "［208］", "合计"]
        for s in randomTexts(from: pieces, seed: 2026_12_02_9) {
            let bytes = Array(s.utf8)
            bytes.withUnsafeBufferPointer { buf in
                #expect(FastText.wordRanges(buf) == WordSplitRound4Tests.referenceWordRanges(buf), "\(s.debugDescription)")
            }
            // The table tokens split words the same way: the cell reading and the byte-range one agree.
            #expect(LineTokens.tokens(s) == LineTokens.tokens(s, viaCells: true), "\(s.debugDescription)")
        }
    }
}

/// `MetaScan.scalar(at:)` reads a whole three-byte scalar in one step.
@Suite struct MetaScanRound4Tests {
    /// `MetaScan.scalar(at:)` as it was: the lead byte's length, then its continuation bytes.
    static func referenceScalar(at i: Int, in buf: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let b0 = buf[i]
        if b0 < 0x80 { return UInt32(b0) }
        var v: UInt32
        var len: Int
        if b0 < 0xE0 { v = UInt32(b0 & 0x1F); len = 2 } else if b0 < 0xF0 { v = UInt32(b0 & 0x0F); len = 3 } else { v = UInt32(b0 & 0x07); len = 4 }
        var k = 1
        while k < len && i + k < buf.count { v = (v << 6) | UInt32(buf[i + k] & 0x3F); k += 1 }
        return v
    }

    @Test func scalarsMatchTheReference() {
        for s in randomTexts(from: FastTextRound4Tests.pieces, seed: 2026_12_02_10) {
            let bytes = Array(s.utf8)
            bytes.withUnsafeBufferPointer { whole in
                // Every byte position (continuation bytes too) of the text and of its cut prefixes.
                for cut in 0..<min(whole.count + 1, 3) {
                    let buf = UnsafeBufferPointer(rebasing: whole[0..<(whole.count - cut)])
                    for i in 0..<buf.count {
                        #expect(MetaScan.scalar(at: i, in: buf) == MetaScanRound4Tests.referenceScalar(at: i, in: buf))
                    }
                }
            }
            #expect(Scalars.first(s) == s.unicodeScalars.first && Scalars.last(s) == s.unicodeScalars.last, "\(s.debugDescription)")
        }
    }
}

/// The heading reader, `NarrScanner.cleanLabel` and `MetaStaffing.number` ask switches, not sets.
@Suite struct NarrHeadingRound4Tests {
    /// The sets the switches replaced, kept here as their oracle.
    static let numeralsU: Set<Unicode.Scalar> = Set("一二三四五六七八九十".unicodeScalars)
    static let circledU: Set<Unicode.Scalar> = Set("⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽①②③④⑤⑥⑦⑧⑨⑩".unicodeScalars)
    static let stopScalars: Set<Unicode.Scalar> = Set("，。；、,;：:（(）)“”≥≤=＝<>＜＞".unicodeScalars)
    /// Derived from the library's word lists, so a word added there without its first scalar in
    /// the switch fails here.
    static let cutWordFirsts: Set<Unicode.Scalar> = Set((NarrScanner.unitWords + NarrScanner.introWords).compactMap { $0.0.unicodeScalars.first })

    @Test func switchesMatchTheSets() {
        // Every scalar of the planes the sets' members live in, and ASCII.
        var differ: [UInt32] = []
        for v in UInt32(0)...0xFFFF {
            guard let u = Unicode.Scalar(v) else { continue }
            if NarrHeading.isNumeral(u) != Self.numeralsU.contains(u) || NarrHeading.isCircled(u) != Self.circledU.contains(u)
                || NarrScanner.isCutWordFirst(u) != Self.cutWordFirsts.contains(u) || MetaStaffing.isStop(u) != Self.stopScalars.contains(u) {
                differ.append(v)
            }
        }
        #expect(differ.isEmpty)
    }
}

/// `NarrScanner.scan` searches a line for a tab only when its scalar mask allows one: every line
/// that holds a tab must say so (lines split from a text, NUL lines, lines made from a String).
@Suite struct NarrScanTabMaskRound4Tests {
    @Test func everyLineWithATabAllowsOne() {
        let pieces = ["预算", "\t", " \t", "\t\t", "1,234", "\0", "\n", "\r\n", "\u{3000}", "项目", "合计\t100", "x"]
        for s in randomTexts(from: pieces, seed: 2026_12_02_11) {
            for line in SourceText(s).lines + [SourceLine(number: 1, raw: s)] where line.raw.has("\t") {
                #expect(line.mayContain(Words.tab), "\(s.debugDescription)")
            }
        }
    }
}
