import Foundation
import GoujiModel
@testable import GoujiParse
import GoujiTestSupport
import Testing

/// The table reader's fast paths give exactly what their reference paths give, on random tables
/// (a fixed-seed generator: the same cases in every run).
@Suite struct TableFastPathTests {
    typealias Generator = SplitMix64

    /// Layouts as headers give them: a total over top-level columns, groups over their children.
    static func constraints(_ n: Int, _ g: inout Generator) -> [(parent: Int, children: [Int])] {
        switch g.int(0...3) {
        case 0: return []
        case 1: return [(parent: 0, children: Array(1..<n))]
        case 2:
            guard n >= 5 else { return [(parent: 0, children: Array(1..<n))] }
            // 合计 = A + G, G = g1 + g2 (G at 2).
            return [(parent: 0, children: [1, 2] + Array(5..<n)), (parent: 2, children: [3, 4])]
        default:
            // Out-of-range members are filtered by the assigner.
            return [(parent: 0, children: Array(1..<(n + 1))), (parent: n - 1, children: [0])]
        }
    }

    @Test func columnSearchMatchesReference() {
        var g = Generator(seed: 20_240_101)
        for _ in 0..<3000 {
            let n = g.int(1...9)
            let assigner = ColumnAssigner(columnCount: n, constraints: Self.constraints(n, &g))
            let k = g.int(0...(n + 1))
            // Values built to satisfy the arithmetic often (sums of the others), with mixed decimals.
            var amounts: [Amount] = []
            var parts: [Int64] = []
            for i in 0..<k {
                let decimals = g.int(0...2)
                let mantissa: Int64
                if i == 0, k > 1, g.int(0...1) == 0 { mantissa = 0 } else { mantissa = Int64(g.int(0...40)) }
                parts.append(mantissa)
                amounts.append(Amount(mantissa: mantissa, decimals: decimals))
            }
            if k >= 3, g.int(0...1) == 0 {
                let sum = parts.dropFirst().reduce(0, +)
                amounts[0] = Amount(mantissa: sum, decimals: 0)
            }
            let preferred: [Int]? = g.int(0...2) == 0 ? nil : (0..<g.int(0...k)).map { _ in g.int(0...n) }
            let fast = assigner.assign(amounts, preferred: preferred)
            let slow = assigner.assign(amounts, preferred: preferred, reference: true)
            #expect(fast.assignment == slow.assignment, "\(amounts) \(String(describing: preferred))")
            #expect(fast.ties == slow.ties)
            #expect(fast.violations == slow.violations)
            #expect(fast.truncated == slow.truncated)
        }
    }

    @Test func columnSearchMatchesReferenceWhenTruncated() {
        // 合计 = Σ 39 children with 12 amounts of which no subset fits: the budget cuts both alike.
        let a = ColumnAssigner(columnCount: 40, constraints: [(parent: 0, children: Array(1..<40))])
        let amounts = [Amount("1000.00")] + (1...11).map { Amount("\($0 * 7).01") }
        let clean = amounts.compactMap { $0 }
        let fast = a.assign(clean)
        let slow = a.assign(clean, reference: true)
        #expect(slow.truncated)
        #expect(fast.truncated == slow.truncated)
        #expect(fast.assignment == slow.assignment)
        #expect(fast.ties == slow.ties)
        #expect(fast.violations == slow.violations)
    }

    @Test func varyingColumnEnumerationMatchesFullEnumeration() {
        var g = Generator(seed: 77)
        for _ in 0..<1500 {
            let cols = g.int(1...7)
            let levels = g.int(1...6)
            var counts: [Int] = []
            var base: [Int] = []
            var value: [Int64] = []
            var tol: [Int64] = []
            // Columns that every option fills alike (constant) and columns where options differ.
            let constant = (0..<cols).map { _ in g.int(0...1) == 0 }
            for _ in 0..<levels {
                let count = g.int(1...4)
                counts.append(count)
                base.append(value.count)
                var shared: [(Int64, Int64)] = []
                for _ in 0..<cols { shared.append((Int64(g.int(0...5) * 10), Int64(g.int(0...1) * 5))) }
                for _ in 0..<count {
                    for c in 0..<cols {
                        if constant[c] {
                            value.append(shared[c].0)
                            tol.append(shared[c].1)
                        } else {
                            value.append(Int64(g.int(0...5) * 10))
                            tol.append(Int64(g.int(0...1) * 5))
                        }
                    }
                }
            }
            let combos = counts.reduce(1, *)
            let startSum = (0..<cols).map { _ in Int64(g.int(0...3) * 10) }
            let startTol = (0..<cols).map { _ in Int64(g.int(0...1) * 5) }
            let parent = (0..<cols).map { _ in Int64(g.int(0...12) * 10) }
            let full = CrossRowResolver.enumerate(combos: combos, optionCounts: counts, columnCount: cols, kidBase: base,
                                                  kidValue: value, kidTol: tol, startSum: startSum, startTol: startTol, parent: parent)
            let varying = CrossRowResolver.enumerateVarying(combos: combos, optionCounts: counts, columnCount: cols, kidBase: base,
                                                            kidValue: value, kidTol: tol, startSum: startSum, startTol: startTol,
                                                            parent: parent)
            #expect(full.0 == varying.0)
            #expect(full.1 == varying.1)
        }
    }
    /// `LineTokens.amount` as it read every word before the comma-grouped ASCII fast path.
    static func referenceAmount(_ word: Substring) -> Amount? {
        guard let u = word.unicodeScalars.first,
              (u.value >= 0x30 && u.value <= 0x39) || u.value == 0x2D || (u.value >= 0xFF10 && u.value <= 0xFF19) || u.value == 0xFF0D
        else { return nil }
        if word.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }) { return LineTokens.plainAmount(word) ?? Amount(word) }
        let folded = Label.foldWidth(word)
        guard let first = folded.utf8.first, (first >= 0x30 && first <= 0x39) || first == 0x2D else { return nil }
        if folded == "-" { return nil }
        if folded.contains(",") {
            let intPart = folded.utf8.split(separator: 0x2E, maxSplits: 1).first ?? folded.utf8[...]
            let groups = intPart.split(separator: 0x2C, omittingEmptySubsequences: false)
            for (i, g) in groups.enumerated() where i > 0 && g.count != 3 { return nil }
        }
        return Amount(folded)
    }

    @Test func groupedAmountsMatchReference() {
        var words = ["1,234.56", "1,234", "12,345,678.9", "1,23", "1,2345", "1,,234", "1,234,", "1,234.5,6", "1.234,567",
                     "0,000", "1,234..5", "1,234.", "123,456.789", "9,999,999,999,999,999,999", "1,234.1234567890",
                     "１,２３４.５", "-1,234.00", "1，234", "12", "1.5", ",123", "1,234.56.7", "7,000,000.00"]
        var g = Generator(seed: 5)
        let alphabet: [Character] = ["1", "2", "0", ",", ".", "9"]
        for _ in 0..<2000 {
            var w = String(alphabet[g.int(0...2)])
            for _ in 0..<g.int(0...9) { w.append(alphabet[g.int(0...5)]) }
            words.append(w)
        }
        for w in words {
            #expect(LineTokens.amount(Substring(w)) == Self.referenceAmount(Substring(w)), "\(w)")
        }
    }
    @Test func unitMentionsOnScalarsMatchCharacterReading() {
        let lines = ["[208001]北京市某某局 单位：万元", "【208】 社会保障局\u{3000}单位:万元", "单位名称：某某中心  单位：元", "单位名称:某某中心",
                     "［101］某单位", "[12a]某单位", "[]空", "单位：万元", "部门：某某局", "【２０８】某局 单位：万元", "[208]",
                     "[208]\u{00A0}某局", "单位名称：\u{3000}", "[208] 某局 单位:万元 备注", "[208 某局", "某局]208[",
                     "[2080109]社会保险经办机构\t单位：万元", "单位名称： 某 中心"]
        for l in lines {
            let fast = TableReader.unitMention(l, line: 3)
            let slow = TableReader.unitMention(l, line: 3, viaCharacters: true)
            #expect(fast?.name == slow?.name, "\(l)")
            #expect(fast?.code == slow?.code, "\(l)")
            #expect(fast?.line == slow?.line, "\(l)")
        }
        // A combining mark makes a Character of two scalars: the Character reading runs.
        #expect(!TableReader.allOwnCharacters("[208]某局\u{0301}"))
        #expect(TableReader.allOwnCharacters("[208]某局 单位：万元"))
    }
    @Test func splitEnumerationMatchesOdometer() {
        var g = Generator(seed: 4242)
        for round in 0..<800 {
            let cols = g.int(0...6)
            let levels = g.int(1...10)
            var counts: [Int] = []
            var base: [Int] = []
            var value: [Int64] = []
            var tol: [Int64] = []
            var combos = 1
            for _ in 0..<levels {
                let count = combos > 2000 ? 1 : g.int(1...3)
                combos *= count
                counts.append(count)
                base.append(value.count)
                for _ in 0..<(count * cols) {
                    // Mostly small multiples (many ties), now and then a negative value or one too large for the split (enumerate runs).
                    let v: Int64 = round % 97 == 0 ? Int64(1) << 57 : Int64(g.int(-2...6) * 10)
                    value.append(v)
                    tol.append(Int64(g.int(0...1) * 5))
                }
            }
            let startSum = (0..<cols).map { _ in Int64(g.int(0...3) * 10) }
            let startTol = (0..<cols).map { _ in Int64(g.int(0...1) * 5) }
            let parent = (0..<cols).map { _ in Int64(g.int(0...20) * 10) }
            let odometer = CrossRowResolver.enumerate(combos: combos, optionCounts: counts, columnCount: cols, kidBase: base,
                                                      kidValue: value, kidTol: tol, startSum: startSum, startTol: startTol,
                                                      parent: parent)
            let split = CrossRowResolver.enumerateSplit(combos: combos, optionCounts: counts, columnCount: cols, kidBase: base,
                                                        kidValue: value, kidTol: tol, startSum: startSum, startTol: startTol,
                                                        parent: parent)
            #expect(odometer.0 == split.0)
            #expect(odometer.1 == split.1)
        }
    }
    /// `isPageNumber` as it read every line before the scalar pre-check (a page of a count,
    /// `第3页，共12页`, `共12页 第3页`, `3/12`, matched by pattern).
    static func referencePageNumber(_ text: String) -> Bool {
        guard text.utf8.count <= 40, FastText.hasDigit(text) else { return false }
        let t = FastText.removingWhitespace(Label.foldWidth(text))
        guard !t.isEmpty else { return false }
        var core = Substring(t)
        while let f = core.first, f == "-" || f == "—" || f == "–" { core = core.dropFirst() }
        while let l = core.last, l == "-" || l == "—" || l == "–" { core = core.dropLast() }
        let n = "[0-9]{1,4}", sep = "[,/、，]?"
        for pattern in ["^第\(n)页\(sep)共\(n)页$", "^共\(n)页\(sep)第\(n)页$", "^\(n)/\(n)$"]
        where String(core).range(of: pattern, options: .regularExpression) != nil {
            return true
        }
        if core.begins(with: "第") && core.ends(with: "页") { core = core.dropFirst().dropLast() }
        guard !core.isEmpty, core.count <= 4, core.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return core.count < t.count
    }

    @Test func pageNumbersMatchReference() {
        var lines = ["- 3 -", "— 12 —", "第 3 页", "第3页", "12", "－１２－", "\u{3000}- 7 -\u{3000}", "合计 100", "3.5", "- 3.5 -",
                     "第 12345 页", "1-2", "– 4 –", "-\u{301}3-", "第 3 页 共 9 页", "页 3 第", "- ３ -", "2024年", "(3)", "-3-",
                     "\t- 8 -\t", "3 -", "—", "- 0 -", "第页", "第\u{00A0}2\u{00A0}页",
                     "第 3 页，共 12 页", "第3页/共12页", "第3页共12页", "共 12 页 第 3 页", "3/12", "3 / 12", "３／１２",
                     "- 第 3 页，共 12 页 -", "第 123 页，共 456 页", "第3页，共12", "3/", "/12", "3/12/2024", "第12345页共1页",
                     "共12页", "第3页,,共12页", "合计 3/12"]
        var g = Generator(seed: 31)
        let alphabet: [Character] = ["-", "—", "–", "第", "页", "共", "1", "2", "０", "－", " ", "\u{3000}", "合", ".", "\u{301}",
                                     "，", "/", "、", ","]
        for _ in 0..<3000 {
            var w = ""
            for _ in 0..<g.int(1...8) { w.append(alphabet[g.int(0...(alphabet.count - 1))]) }
            lines.append(w)
        }
        for l in lines {
            #expect(LineTokens.isPageNumber(l) == Self.referencePageNumber(l), "\(l.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
    @Test func numberingRowsOnScalarsMatchCharacterReading() {
        var lines = ["** ** 1 2 3", "(公开到项级) ** 1 2 3", "1 2 3", "合计 1 2", "科目 1", "* *", "１ ２ ３", "01 02", "1\u{3000}2\u{3000}3",
                     "项目 1 2 3 4", "1 2 a", "科目编码 科目名称 1 2", "*", "** 1", "1", "栏次 1 2 3 4 5 6", "a b 1 2", "1\u{301} 2 3",
                     "1 2 3\u{00A0}", "\u{2003}1 2", "-1 2 3", "+1 2", "001 2 3", "1 2 100", "合计 12.5 1"]
        var g = Generator(seed: 9)
        let alphabet: [Character] = ["1", "2", "3", "*", " ", "\u{3000}", "合", "计", "１", "0", "a", "-"]
        for _ in 0..<3000 {
            var w = ""
            for _ in 0..<g.int(1...10) { w.append(alphabet[g.int(0...(alphabet.count - 1))]) }
            lines.append(w)
        }
        for l in lines {
            #expect(LineTokens.isNumberingRow(l) == LineTokens.isNumberingRow(l, viaCharacters: true), "\(l)")
        }
    }
}





