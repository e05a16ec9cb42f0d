@testable import GoujiParse
import Foundation
import GoujiTestSupport
import Testing

/// The text and number tokens the cell reader copies from its line's bytes with `FastText.copy`
/// (no second validation; ASCII flag from `FastText.isASCII` or, for numbers, from the amount
/// readers taking only ASCII): each must be the String `String(decoding:)` makes of the same bytes,
/// flagged ASCII alike, on random lines and on every seed line. A copy of bytes cut inside a scalar
/// would not be (decoding repairs it).
@Suite struct CopySitesTests {
    static let pieces = ["合计", "一、收入", "1,234.56", "２０２４", "12.5", "-3", "－１２", " ", "  ", "   ", "\t", "\u{3000}", "\u{A0}",
                         "\u{2002}", "\u{2003}", "a", "Z", "é", "e\u{301}", "😀", "[208]", "［208］", "【20801】x", "—", "*", "<b>", "-",
                         "单位：万元", "工资福利支出", "abcdefghijklmnopqrstu", "0123456789012345678", "\u{FEFF}"]

    /// `s` equals its own decoding byte for byte, with the same ASCII flag.
    static func expectDecoded(_ s: String, _ context: @autoclosure () -> String) {
        let decoded = String(decoding: Array(s.utf8), as: UTF8.self)
        #expect(Array(s.utf8) == Array(decoded.utf8), "\(context())")
        if #available(macOS 26.0, *) {
            #expect(s.utf8Span.isKnownASCII == decoded.utf8Span.isKnownASCII, "\(context())")
        }
    }

    /// Every token of `line`, read over the line or cell by cell, held to its decoding; text
    /// tokens also to the reading that decodes every text run (`copyRuns`).
    static func check(_ line: String) {
        let bytes = Array(line.utf8)
        for viaCells in [false, true] {
            let tokens = LineTokens.tokens(line, viaCells: viaCells)
            let decodedRuns = LineTokens.tokens(line, viaCells: viaCells, copyRuns: true)
            #expect(tokens == decodedRuns, "\(bytes)")
            #expect(tokens.map { Array($0.text.utf8) } == decodedRuns.map { Array($0.text.utf8) }, "\(bytes)")
            for t in tokens { expectDecoded(t.text, "\(bytes)") }
        }
    }

    @Test func randomLines() {
        var g = SplitMix64(seed: 2026_12_03)
        for _ in 0..<3000 {
            var s = ""
            for _ in 0..<g.int(0...16) { s += Self.pieces[g.int(0...(Self.pieces.count - 1))] }
            Self.check(s)
        }
    }

    @Test func seedLines() throws {
        for url in try SharedData.seedFiles() {
            for line in SourceText(try String(contentsOf: url, encoding: .utf8)).lines {
                Self.check(line.raw)
                Self.check(line.text)
            }
        }
    }
}
