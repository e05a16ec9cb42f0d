import Foundation
import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// Round 8 of the table reader's fast paths: each gives what the reading it replaces gives, on
/// random inputs (a fixed-seed generator: the same cases in every run).
@Suite struct ParseRound8TableTests {
    typealias Generator = SplitMix64

    /// `groupedAmount(bytes:)`, where it reads a word at all, reads it as `LineTokens.amount`
    /// does (nil there only hands the word to `amount`): on words of digits, commas and points in
    /// every arrangement (groups of the wrong length, commas after the point, trailing marks,
    /// too many digits or decimals), and on words `amount` reads otherwise (full-width digits and
    /// commas, signs, NBSP, empty).
    @Test func groupedAmountMatchesAmount() {
        var g = Generator(seed: 1_414_081)
        var words = ["", "0", "1,414.81", "12,345", "1,234,567.891", "1234,567", "1,23", "1,2345", "12,", ",123", "1,,234",
                     "1,234.", "1,234.5,6", "1.2.3", "1,234.123456789", "1,234.12345678", "123,456,789,012,345,678",
                     "1,234,567,890,123,456,789", "9,223,372,036,854,775,807", "１,２３４.５６", "1，234.56", "-1,234",
                     "+1,234", "1,234\u{00A0}", "1\u{3000}234", "1,234/5", "1,234%", "0,000.00", "00,000"]
        let alphabet: [Character] = ["0", "1", "5", "9", ",", ",", ".", "-", "/", "a"]
        for _ in 0..<20_000 {
            var w = String(alphabet[g.int(0...3)])
            for _ in 0..<g.int(0...24) { w.append(alphabet[g.int(0...(alphabet.count - 1))]) }
            words.append(w)
        }
        for w in words {
            let fast = FastText.scanUTF8(w) { LineTokens.groupedAmount(bytes: $0) }
            guard let fast else { continue }
            let slow = LineTokens.amount(Substring(w))
            #expect(slow == fast, "\(w)")
        }
        // It reads the forms it is for (not nil everywhere).
        for w in ["1,414.81", "12,345", "1,234,567.891", "1234,567"] {
            #expect(FastText.scanUTF8(w) { LineTokens.groupedAmount(bytes: $0) } == LineTokens.amount(Substring(w)))
            #expect(FastText.scanUTF8(w) { LineTokens.groupedAmount(bytes: $0) } != nil)
        }
    }

    /// Each number token of a line that starts with a digit holds the amount `LineTokens.amount`
    /// reads from its text, on
    /// lines of numbers printed with thousands separators in every arrangement (both the whole-line
    /// and the cell-by-cell readings go through `groupedAmount`: this compares with `amount`).
    @Test func groupedNumberTokensHoldAmountOfTheirText() {
        var g = Generator(seed: 3_283_016)
        let pieces = ["1,414.81", "12,345", "1,23", "1,2345", "12,", "1,234.", "1,234.5,6", "１,２３４.５６", "1，234",
                      "社会保障和就业支出", "合计", "-", "1,234.123456789", "0.5", "7"]
        var numbers = 0
        for _ in 0..<3000 {
            let count = g.int(1...6)
            var fields: [String] = []
            for _ in 0..<count { fields.append(pieces[g.int(0...(pieces.count - 1))]) }
            let line = "合计\t" + fields.joined(separator: g.int(0...1) == 0 ? "\t" : "  ")
            // (A dash marks a blank cell: a number token of amount 0 that `amount` does not read.)
            for t in LineTokens.tokens(line) where t.kind == .number && t.text.utf8.first.map({ $0 >= 0x30 && $0 <= 0x39 }) == true {
                numbers += 1
                #expect(t.amount == LineTokens.amount(Substring(t.text)), "\(line): \(t.text)")
            }
        }
        #expect(numbers > 1000)
    }

    /// `readOneSided` hands a row the row above's assignment when both print the same amounts
    /// (values and decimals) under the same preferred columns: `ColumnAssigner.assign` is a
    /// function of those alone. Asked again with equal inputs (fresh arrays), the assigner gives
    /// the same assignment, ties, violations and truncation, with and without preferred columns,
    /// where the amounts tie and where they fit no sum; and amounts that differ only in their
    /// printed decimals are not equal inputs.
    @Test func assignmentIsAFunctionOfAmountsAndPreferredColumns() {
        var g = Generator(seed: 2_080_505)
        for _ in 0..<2000 {
            let n = g.int(1...8)
            let constraints: [(parent: Int, children: [Int])] = n >= 3 ? [(parent: 0, children: Array(1..<n))] : []
            let assigner = ColumnAssigner(columnCount: n, constraints: constraints)
            let k = g.int(0...n)
            let amounts = (0..<k).map { _ in Amount(mantissa: Int64(g.int(0...3)), decimals: g.int(0...2)) }
            let preferred: [Int]? = g.int(0...2) == 0 ? nil : (0..<k).map { _ in g.int(0...n) }
            let first = assigner.assign(amounts, preferred: preferred)
            let again = assigner.assign(amounts.map { Amount(mantissa: $0.mantissa, decimals: $0.decimals) },
                                        preferred: preferred.map { $0.map { $0 } })
            #expect(first.assignment == again.assignment)
            #expect(first.ties == again.ties)
            #expect(first.violations == again.violations)
            #expect(first.truncated == again.truncated)
        }
        #expect(Amount(mantissa: 100, decimals: 2) != Amount(mantissa: 1, decimals: 0))
    }
}
