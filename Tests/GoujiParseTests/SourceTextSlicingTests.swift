@testable import GoujiParse
import Foundation
import GoujiTestSupport
import Testing

/// `SourceText` makes each line's Strings as copies of the input's bytes (no second UTF-8 validation):
/// the lines must be exactly those of the reading it replaced, which decoded every line's bytes.
@Suite struct SourceTextSlicingTests {
    /// The reading as first written: split on the bytes, each line's `raw` and `text` decoded
    /// from its bytes with `String(decoding:)`, a line with NULs cleaned on its String.
    static func referenceLines(_ input: String) -> [SourceLine] {
        var bytes = Array(input.utf8)
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { bytes.removeFirst(3) }
        var pieces: [[UInt8]] = []
        var current: [UInt8] = []
        var i = 0
        var ended = true
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A || b == 0x0D {
                pieces.append(current)
                current = []
                ended = true
                if b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
            } else {
                current.append(b)
                ended = false
            }
            i += 1
        }
        if !ended { pieces.append(current) }
        return pieces.enumerated().map { k, piece in
            let number = k + 1
            return piece.withUnsafeBufferPointer { buf -> SourceLine in
                if buf.contains(0) {
                    return SourceLine(number: number, raw: SourceText.clean(String(decoding: buf, as: UTF8.self)))
                }
                let (a, b) = FastText.trimmedRange(buf)
                let rawBytes = UnsafeBufferPointer(rebasing: buf[0..<b])
                let raw = String(decoding: rawBytes, as: UTF8.self)
                let text = a == 0 ? raw : String(decoding: UnsafeBufferPointer(rebasing: buf[a..<b]), as: UTF8.self)
                return SourceLine(number: number, raw: raw, text: text, mask: ScalarMask.of(rawBytes))
            }
        }
    }

    @Test func linesMatchTheDecodingReading() {
        let pieces = ["合计", "一、收入", "1,234.56", "２０２４", "１２３４５６７８９０１２３４５６７８９０", String(repeating: "9", count: 40),
                      " ", "  ", "\t", "\u{3000}", "\u{A0}", "\u{2002}", "\u{2003}", "\n", "\r", "\r\n", "\0", "a", "Z",
                      "表", "（一）", "é", "e\u{301}", "😀", "\u{FEFF}", "［208］", "—", "*", "<b>", "-", "单位：万元"]
        var g = SplitMix64(seed: 2026_12_02)
        var inputs = ["", "\n", "\r", "\r\n", "\u{FEFF}", "\u{FEFF}\n", "   ", "\u{3000}\u{3000}", "\0", "a\0 ", " \0b\n",
                      "x\n", "\r\r", "a\rb\r\nc\n\nd\r\r\ne\rf", "\u{FEFF}  合计  \r\n\u{3000}一、收入\u{3000}\rlast"]
        for _ in 0..<3000 {
            var s = ""
            for _ in 0..<g.int(0...24) { s += pieces[g.int(0...(pieces.count - 1))] }
            inputs.append(s)
        }
        for s in inputs {
            let lines = SourceText(s).lines
            let reference = Self.referenceLines(s)
            #expect(lines == reference, "\(Array(s.utf8))")
            // The line Strings are equal to the reference's byte for byte, not only as Characters.
            #expect(lines.map { Array($0.raw.utf8) } == reference.map { Array($0.raw.utf8) })
            #expect(lines.map { Array($0.text.utf8) } == reference.map { Array($0.text.utf8) })
            Self.expectSameASCIIFlags(lines, reference)
        }
    }

    /// The lines are copied from the input's bytes with their ASCII flag given by the line scan,
    /// not worked out by the String: it must be the flag the decoded String has.
    static func expectSameASCIIFlags(_ lines: [SourceLine], _ reference: [SourceLine]) {
        if #available(macOS 26.0, *) {
            #expect(lines.map { $0.raw.utf8Span.isKnownASCII } == reference.map { $0.raw.utf8Span.isKnownASCII })
            #expect(lines.map { $0.text.utf8Span.isKnownASCII } == reference.map { $0.text.utf8Span.isKnownASCII })
        }
    }

    @Test func seedLinesMatchTheDecodingReading() throws {
        for url in try SharedData.seedFiles() {
            let s = try String(contentsOf: url, encoding: .utf8)
            let lines = SourceText(s).lines
            let reference = Self.referenceLines(s)
            #expect(lines == reference, "\(url.lastPathComponent)")
            #expect(lines.map { Array($0.raw.utf8) } == reference.map { Array($0.raw.utf8) })
            Self.expectSameASCIIFlags(lines, reference)
        }
    }

    @Test func linesOfABridgedOrSlicedInputAreTheSame() {
        // A String made from a Substring (its own storage) and a small string read alike.
        let text = "  第一部分  \n\t合计\t1\t2\n单位：万元\u{3000}"
        let sliced = String(("xx" + text + "yy").dropFirst(2).dropLast(2))
        #expect(SourceText(sliced).lines == Self.referenceLines(text))
        #expect(SourceText("a b\nc").lines == Self.referenceLines("a b\nc"))
    }

    /// Text tokens are slices of the line (a run of words one ASCII space apart) or, for any other
    /// run, copies: both must equal the reading that copied and decoded every run.
    @Test func slicedTextRunsMatchCopiedRuns() throws {
        var all = LineTokensFastPathTests.lines + ["", "合计", "一 二 三", "一  二", "一\u{A0}二  3", "一\u{2002}二 三\u{3000}四",
                                         "［208］一般 公共\t1", "[208]\t2", "【2080109】 社会保障", "2,495.56一、本年支出 5",
                                         "１２３ 年 合计", "12年 5月", "a [208]b c  1.5", "é e\u{301} x  1"]
        for url in try SharedData.seedFiles() {
            all += SourceText(try String(contentsOf: url, encoding: .utf8)).lines.map(\.raw)
        }
        let words = ["合计", "一、收入", "208", "[208]", "［208］", "【20801】", "1,234.56", "１２", "－１２", "12.5", "2024年", "%",
                     "a", "é", "e\u{301}", "😀", "<b>", "*", "-", "—", "（一）", "工资福利支出", "2,495.56一、本年支出"]
        let gaps = [" ", "  ", "\t", "\u{3000}", "\u{A0}", "\u{2002}", " \u{A0}", "\t\t"]
        var g = SplitMix64(seed: 3_2026)
        for _ in 0..<3000 {
            var s = ""
            for k in 0..<g.int(1...8) {
                if k > 0 { s += gaps[g.int(0...(gaps.count - 1))] }
                s += words[g.int(0...(words.count - 1))]
            }
            all.append(s)
        }
        for l in all {
            #expect(LineTokens.tokens(l) == LineTokens.tokens(l, copyRuns: true), "tokens \(l)")
            #expect(LineTokens.tokens(l, viaCells: true) == LineTokens.tokens(l, viaCells: true, copyRuns: true), "cells \(l)")
            let sliced = LineTokens.tokens(l).map { Array($0.text.utf8) }
            #expect(sliced == LineTokens.tokens(l, copyRuns: true).map { Array($0.text.utf8) })
        }
    }

    @Test func sliceIsTheDecodedRange() {
        let s = "一、收入 12\u{3000}é😀x"
        let bytes = Array(s.utf8)
        // Scalar boundaries only.
        let cuts = [0, 3, 6, 9, 12, 13, 14, 15, 18, 20, 24, 25]
        for a in cuts { for b in cuts where a <= b {
            #expect(FastText.slice(s, a..<b) == String(decoding: bytes[a..<b], as: UTF8.self))
            #expect(Array(FastText.slice(s, a..<b).utf8) == Array(bytes[a..<b]))
        } }
    }

    /// `HeaderReader.scan` as first written: the words grouped by first scalar in a dictionary.
    static func referenceScan(_ text: String) -> [String] {
        var byFirst: [Unicode.Scalar: [([Unicode.Scalar], String)]] = [:]
        for w in HeaderReader.wordScalars { if let f = w.0.first { byFirst[f, default: []].append(w) } }
        let chars = NarrText.scalars(text)
        var i = 0
        var out: [String] = []
        while i < chars.count {
            var matched = false
            for (w, key) in byFirst[chars[i]] ?? [] where w.count <= chars.count - i {
                var j = 1
                while j < w.count && chars[i + j] == w[j] { j += 1 }
                if j == w.count {
                    out.append(key)
                    i += w.count
                    matched = true
                    break
                }
            }
            if !matched { i += 1 }
        }
        return out
    }

    @Test func headerScanMatchesTheDictionaryReading() {
        // Header words, their prefixes and pieces, and scalars sharing a bucket (value mod 64) with a
        // word's first scalar.
        var pieces = HeaderReader.words.map(\.0)
        pieces += HeaderReader.words.map { String($0.0.prefix(2)) } + HeaderReader.words.map { String($0.0.suffix(1)) }
        let firsts = Set(HeaderReader.wordScalars.compactMap { $0.0.first?.value })
        for v in firsts {
            for d in [64, 128, 4096] where v + UInt32(d) < 0xD800 {
                if let u = Unicode.Scalar(v + UInt32(d)) { pieces.append(String(Character(u))) }
            }
        }
        pieces += ["", " ", "*", "1", "a", "（", "）", "项目", "合", "计"]
        var g = SplitMix64(seed: 64)
        var texts = ["", "合计", "一般公共预算拨款收入", "科目编码科目名称合计基本支出项目支出"]
        for _ in 0..<3000 {
            var t = ""
            for _ in 0..<g.int(0...12) { t += pieces[g.int(0...(pieces.count - 1))] }
            texts.append(t)
        }
        for t in texts { #expect(HeaderReader.scan(t) == Self.referenceScan(t), "\(t)") }
    }

    @Test func numberingRowsAsBefore() {
        // The guards reordered: the same answers on rows that end in amounts, numbers or stars.
        let rows = ["** ** 1 2 3", "(公开到项级) ** 1 2 3", "合计  1,234.56", "1 2 3", "1", "*", "1  2  3  4", "a 1 2",
                    "一、收入 12", "科目 ** 1 2", "1 2 x", "** 合计", "２ ３", "1 3", "0 1 2", "** **", "12.5", ""]
        for r in rows {
            #expect(LineTokens.isNumberingRow(r) == LineTokens.isNumberingRow(r, viaCharacters: true), "\(r)")
        }
        #expect(LineTokens.isNumberingRow("** ** 1 2 3"))
        #expect(!LineTokens.isNumberingRow("合计  1,234.56"))
    }
}
