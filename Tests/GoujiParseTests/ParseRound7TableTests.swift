import Foundation
import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 7 of the table reader's fast paths: each gives what the reading it replaces gives, on
/// random inputs (a fixed-seed generator: the same cases in every run).
@Suite struct ParseRound7TableTests {
    typealias Generator = SplitMix64

    /// One `CellReader` reads all of a line's cells (`LineTokens.appendTokens(ofCells:…)`, the
    /// cells as byte ranges of the line): the tokens of the cell-by-cell reading, on tabbed and
    /// space-aligned lines whose cells end in ideographs, hold single, wide and no-break spaces,
    /// glued numbers, codes, full-width digits, dates and dash marks (empty lines and cells too).
    @Test func wholeLineCellReaderMatchesCellReading() {
        var g = Generator(seed: 7_070_707)
        let pieces = ["合计", "行政运行", "一、基本支出", "其中：工资", "208", "20801", "2080101", "[208]", "【301】", "［302］",
                      "1,668.37", "706.90", "１，２３４．５６", "２０２４", "2024年", "3%", "-", "—", "－", "- -", "12.5一般",
                      "社会保障 和就业", "人员\u{00A0}经费", "事业\u{3000}运行", "e\u{0301}", "👨‍👩‍👧", "", "0", "99", "01"]
        var lines = ["", "\t", "  ", "合计", "\t\t1.00", "208  社会保障和就业支出  3,283.16"]
        for _ in 0..<3000 {
            let tabbed = g.int(0...1) == 0
            let count = g.int(1...8)
            var fields: [String] = []
            for _ in 0..<count { fields.append(pieces[g.int(0...(pieces.count - 1))]) }
            let separator = tabbed ? "\t" : ["  ", "   ", "\u{3000}", " \u{3000}"][g.int(0...3)]
            lines.append((g.int(0...3) == 0 ? "\u{3000}" : "") + fields.joined(separator: separator))
        }
        for line in lines {
            #expect(LineTokens.tokens(line) == LineTokens.tokens(line, viaCells: true), "\(line)")
        }
    }

    /// `removeAllFromEnd` empties an array as `removeAll(keepingCapacity: true)` does, keeping
    /// the capacity of an array it owns alone (a shared one is copied first, the other untouched).
    @Test func removeAllFromEndEmptiesKeepingCapacity() {
        for count in [0, 1, 3, 40] {
            var a = (0..<count).map { Segment(code: nil, text: "t\($0)", position: $0) }
            a.reserveCapacity(64)
            let capacity = a.capacity
            a.removeAllFromEnd()
            #expect(a.isEmpty)
            #expect(a.capacity == capacity)
            var b = (0..<count).map { Segment(code: nil, text: "t\($0)", position: $0) }
            let shared = b
            b.removeAllFromEnd()
            #expect(b.isEmpty)
            #expect(shared.count == count)
        }
    }

    /// `LineTokens.codeText(ofToken:)` is `codeText` of the whole text: on ASCII digits of every
    /// length from 0 to 9, full-width digits, bracketed codes, numbers with separators or points,
    /// and other text (empty, non-ASCII, NBSP).
    @Test func tokenCodeTextMatchesCodeText() {
        var g = Generator(seed: 2080109)
        var texts = ["", "0", "01", "208", "2080", "20801", "208010", "2080109", "20801099", "208010999", "１２３",
                     "２０８０１", "[208]", "【301】", "［302］", "2,080", "208.01", "-208", "208\u{00A0}", "二〇八", "e\u{0301}"]
        for _ in 0..<2000 {
            let length = g.int(0...9)
            texts.append(String((0..<length).map { _ in Character(String(g.int(0...9))) }))
        }
        for t in texts {
            #expect(LineTokens.codeText(ofToken: t) == LineTokens.codeText(Substring(t)), "\(t)")
        }
    }

    /// `LineTokens.leadingCode` without its searches for `,` and `.`: a number token whose text
    /// holds either has no code (`codeText` is nil), so the leading code is as before.
    @Test func leadingCodeNeedsNoSeparatorSearch() {
        for t in ["2,080", "208.01", "２，０８０", "208．01", "20801", "2080109", "1,234.56", "12", "[208]", "208,", ".208"] {
            let token = Token(kind: .number, text: t, amount: nil, position: 0)
            let code = LineTokens.codeText(Substring(t))
            let before = code != nil && !t.has(",") && !t.has(".") ? code : nil
            #expect(LineTokens.leadingCode(token, textFollows: true)?.text == before, "\(t)")
        }
    }
}
