@testable import GoujiParse
import Foundation
import GoujiTestSupport
import Testing

/// The Strings that `SourceText.trim`, `LineTokens.cells` (tab fields and space cells), the cell
/// reader's text and number tokens and `LineTokens.codeText` copy from a String's bytes with
/// `FastText.copy` (no second validation, ASCII flag from `FastText.isASCII` or the site's own
/// check): each must be the String `String(decoding:)` makes of the same bytes, flagged ASCII
/// alike, on random lines and on every seed line. A copy of bytes cut inside a scalar would not
/// be (decoding repairs it).
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

    /// Every String the copy sites make of `line`, each held to its decoding; the trim also to the
    /// trim that decodes (`trimmedRange` of the bytes).
    static func check(_ line: String) {
        let bytes = Array(line.utf8)
        let trimmed = SourceText.trim(line)
        let reference = bytes.withUnsafeBufferPointer { buf in
            let (a, b) = FastText.trimmedRange(buf)
            return String(decoding: UnsafeBufferPointer(rebasing: buf[a..<b]), as: UTF8.self)
        }
        #expect(Array(trimmed.utf8) == Array(reference.utf8), "\(bytes)")
        expectDecoded(trimmed, "\(bytes)")
        // A Substring's trim (bytes offset into its base String).
        if let first = line.unicodeScalars.first {
            let sub = line[line.unicodeScalars.index(after: line.unicodeScalars.startIndex)...]
            let subReference = String(decoding: Array(sub.utf8), as: UTF8.self)
            #expect(Array(SourceText.trim(sub).utf8) == Array(SourceText.trim(subReference).utf8), "\(bytes) \(first)")
            expectDecoded(SourceText.trim(sub), "\(bytes)")
        }
        for cell in LineTokens.cells(line) { expectDecoded(cell.text, "\(bytes)") }
        for viaCells in [false, true] {
            let tokens = LineTokens.tokens(line, viaCells: viaCells)
            // `copyRuns` decodes every text run from a byte array: the reference for text tokens.
            let decodedRuns = LineTokens.tokens(line, viaCells: viaCells, copyRuns: true)
            #expect(tokens == decodedRuns, "\(bytes)")
            #expect(tokens.map { Array($0.text.utf8) } == decodedRuns.map { Array($0.text.utf8) }, "\(bytes)")
            for t in tokens { expectDecoded(t.text, "\(bytes)") }
        }
        for word in line.split(separator: " ") {
            if let code = LineTokens.codeText(word) { expectDecoded(code, "\(bytes)") }
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

    /// `FastText.copy` with an origin (bytes starting part way into the String) and `isASCII`'s
    /// flag give the String `String(decoding:)` gives of those bytes.
    @Test func copyWithOrigin() {
        var g = SplitMix64(seed: 2026_12_04)
        for _ in 0..<2000 {
            var s = ""
            for _ in 0..<g.int(0...12) { s += Self.pieces[g.int(0...(Self.pieces.count - 1))] }
            var bounds = [0]
            for u in s.unicodeScalars { bounds.append(bounds[bounds.count - 1] + UTF8.width(u)) }
            let origin = bounds[g.int(0...(bounds.count - 1))]
            let local = bounds.filter { $0 >= origin }.map { $0 - origin }
            for _ in 0..<6 {
                let a = local[g.int(0...(local.count - 1))]
                let b = local[g.int(0...(local.count - 1))]
                let r = min(a, b)..<max(a, b)
                let copied = FastText.scanUTF8(s) { whole in
                    let buf = UnsafeBufferPointer(rebasing: whole[origin...])
                    return FastText.copy(r, of: s, bytes: buf, origin: origin,
                                         isASCII: FastText.isASCII(UnsafeBufferPointer(rebasing: buf[r])))
                }
                let decoded = String(decoding: Array(s.utf8)[(origin + r.lowerBound)..<(origin + r.upperBound)], as: UTF8.self)
                #expect(Array(copied.utf8) == Array(decoded.utf8), "\(Array(s.utf8)) \(origin) \(r)")
                if #available(macOS 26.0, *) {
                    #expect(copied.utf8Span.isKnownASCII == decoded.utf8Span.isKnownASCII, "\(Array(s.utf8)) \(origin) \(r)")
                }
            }
        }
    }
}
