import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 14 of the tokenizer's fast paths: each held to the reading it replaced (kept as the
/// oracle) on random inputs and on every seed line.
@Suite struct ParseRound14TokenTests {
    /// Pieces dense in the runs the fast steps read (ASCII digits, commas and points, ideographs),
    /// next to every byte that must end such a run: spaces of every kind, a tab, CR, a dash at a
    /// cell's start, a control byte, a combining mark, a cut-off or four-byte scalar.
    static let pieces = ["合计", "基本支出", "社会保障和就业支出", "鿿", "䀀", "1,148.95", "0.00", "2080109", "12", "-3", "—",
                         "a", "Ab", "x1", "(", ")", " ", "  ", "   ", "\u{3000}", "\u{00A0}", "\u{2002}", "\u{2003}", "\t", "\r",
                         "\u{1}", "\u{7F}", "Ｂ", "１２", "、", "\u{301}", "😀", "\u{FF9E}", "[208]", "【201】", "年", "%"]

    /// `LineTokens.cellRanges(_:into:)` with its run step (ASCII bytes but a space, a tab or CR, and
    /// ideographs, read in one loop inside an open cell) reads the cells of the reference reading
    /// (`ParseRound3FastPathTests.referenceCellRanges`), also on lines cut inside a scalar.
    @Test func cellRangesRunStepMatchesReference() throws {
        var lines = randomTexts(from: Self.pieces, seed: 14_001)
        lines += try SharedFiles.seedLines()
        #expect(ParseRound5FastPathTests.cellRangesMatchingReference(lines) > 1000)
    }

    /// The byte-range tokens (with the ASCII run step between spaces and the text run ended only
    /// where one is open) are the cell-by-cell reading's, and its copied-run reading's, on random
    /// lines and every seed line.
    @Test func tokensMatchCellReading() throws {
        var lines = randomTexts(from: Self.pieces, seed: 14_002)
        lines += try SharedFiles.seedLines()
        for line in lines {
            let tokens = LineTokens.tokens(line)
            #expect(tokens == LineTokens.tokens(line, viaCells: true), "\(line.debugDescription)")
            #expect(tokens == LineTokens.tokens(line, copyRuns: true), "\(line.debugDescription)")
        }
    }

    /// `RowReader.fullCode` as it was: a code of five or seven characters cut into its 类 and 款 at
    /// once (the library now cuts them only when a two-digit code asks).
    static func referenceFullCode(_ c: String, at position: Int, tabbed: Bool, _ ctx: inout RowReader.CodeContext) -> String {
        let length = c.utf8.count
        if length == 3 { ctx = RowReader.CodeContext(classCode: c); return c }
        if length == 2, let cls = ctx.classCode {
            if let section = ctx.sectionCode, let at = ctx.sectionPosition, position >= at + (tabbed ? 1 : 2) {
                return section + c
            }
            ctx.sectionCode = cls + c
            ctx.sectionPosition = position
            return cls + c
        }
        if length == 5 || length == 7 {
            ctx = RowReader.CodeContext(classCode: String(c.prefix(3)), sectionCode: String(c.prefix(5)), sectionPosition: nil)
        }
        return c
    }

    /// Random runs of codes (whole, 类 alone, two-digit 款 and 项 at moving positions, codes with
    /// full-width digits or letters) read through `fullCode` give the reference's codes.
    @Test func fullCodeMatchesReference() {
        let codes = ["208", "201", "20801", "2080109", "30101", "01", "02", "09", "99", "2080１", "２０８０１０９", "20a01", "abcdefg",
                     "1", "2080", "208010", "é2080"]
        var g = SplitMix64(seed: 14_003)
        var compared = 0
        for _ in 0..<3000 {
            let tabbed = g.int(0...1) == 0
            var ctx = RowReader.CodeContext()
            var ref = RowReader.CodeContext()
            for _ in 0..<g.int(1...12) {
                let c = codes[g.int(0...(codes.count - 1))]
                let position = g.int(0...12)
                let new = RowReader.fullCode(c, at: position, tabbed: tabbed, &ctx)
                let old = Self.referenceFullCode(c, at: position, tabbed: tabbed, &ref)
                #expect(FastText.equalBytes(new, old), "\(c) \(new) \(old)")
                compared += 1
            }
        }
        #expect(compared > 10_000)
    }
}
