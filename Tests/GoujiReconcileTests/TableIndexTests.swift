import Foundation
import Testing
import GoujiModel
@testable import GoujiReconcile
import GoujiTestSupport

/// The table index's integer readings must agree with the `Term` arithmetic the rules used before
/// them: `cell` gives back every printed amount, and `exactSum`/`exactRowSum` answer true only
/// where `Term` sums find the printed digits `.exact`.
@Suite struct TableIndexTests {
    static let columns = [Column.total, Column.basic, Column.project, Column.operatingExp, "自定义列"]

    static func index(_ rows: [Row]) -> TableIndex {
        var unused = [Int](repeating: 0, count: Amount.maxDecimals + 1)
        let t = Table(kind: .expenditure, title: "t", line: 1, rows: rows, columns: columns)
        return TableIndex(t, norm: Label.normalized, decimals: &unused)
    }

    /// What sumCheck / R-COLS computed with terms: Σ of the printed cells that read as terms
    /// against the total's term; `.exact` or not.
    static func termExact(_ x: TableIndex, rows: [Int], column: Int, total: Int) -> Bool {
        var sum: Term? = Term.zero
        for r in rows {
            if let v = x.cell(r, column), let t = Term(v) { sum = sum?.plus(t) }
        }
        guard let sum else { return false }
        let found = x.cell(total, column).flatMap { Term($0) } ?? .blank
        return sum.agreement(with: found) == .exact
    }

    static func randomAmount(_ g: inout SplitMix64) -> Amount? {
        switch g.int(0...9) {
        case 0: return nil
        case 1: return Amount(mantissa: Int64(g.int(0...3)) * 1_000_000_000_000_000, decimals: g.int(0...2))   // huge
        case 2: return Amount(mantissa: -Int64(g.int(0...500)), decimals: 2)
        case 3: return Amount(mantissa: 0, decimals: g.int(0...8))
        case 4: return Amount(mantissa: Int64.max - Int64(g.int(0...10)), decimals: 2)
        default: return Amount(mantissa: Int64(g.int(0...2000)), decimals: g.int(0...9) < 8 ? 2 : g.int(0...3))
        }
    }

    @Test func cellsRoundTrip() {
        var g = SplitMix64(seed: 41)
        var rows: [Row] = []
        for i in 0..<30 {
            var values: [String: Amount] = [:]
            for c in Self.columns { if let a = Self.randomAmount(&g) { values[c] = a } }
            rows.append(Row(code: i % 3 == 0 ? nil : "20\(i)", label: "行\(i)", values: values))
        }
        let x = Self.index(rows)
        for (r, row) in rows.enumerated() {
            for (c, key) in x.columns.enumerated() {
                #expect(x.cell(r, c) == row.values[key])
                #expect(x.printed(r, c) == (row.values[key] != nil))
            }
        }
        // Empty table: no cells at all.
        let empty = Self.index([])
        #expect(empty.cellCount == 0)
    }

    @Test func exactSumImpliesTermExact() {
        var g = SplitMix64(seed: 7)
        var exactSeen = 0
        for _ in 0..<400 {
            let n = g.int(1...6)
            var rows: [Row] = []
            for i in 0...n {
                var values: [String: Amount] = [:]
                for c in Self.columns { if let a = Self.randomAmount(&g) { values[c] = a } }
                rows.append(Row(code: nil, label: "行\(i)", values: values))
            }
            // Make the parent (row 0) the exact sum of its children in some columns.
            for c in Self.columns where g.int(0...1) == 0 {
                let kids = rows[1...].compactMap { $0.values[c] }
                if let s = Amount.sum(kids), !kids.isEmpty, kids.allSatisfy({ $0.decimals == kids[0].decimals }) {
                    rows[0].values[c] = s
                }
            }
            let x = Self.index(rows)
            let children = Array(1...n)
            for c in 0..<x.width {
                let fast = x.exactSum(children, column: c, total: 0)
                if fast {
                    exactSeen += 1
                    #expect(Self.termExact(x, rows: children, column: c, total: 0))
                }
            }
            // exactRowSum: the row's other columns against its total column.
            if let total = x.column(Column.total) {
                let parts = (0..<x.width).filter { $0 != total }
                for r in rows.indices where x.exactRowSum(r, columns: parts, total: total) {
                    var sum: Term? = Term.zero
                    for c in parts { if let v = x.cell(r, c), let t = Term(v) { sum = sum?.plus(t) } }
                    let found = x.cell(r, total).flatMap { Term($0) } ?? .blank
                    #expect(sum?.agreement(with: found) == .exact)
                }
            }
        }
        #expect(exactSeen > 50)
    }

    @Test func exactSumEdgeCases() {
        func amount(_ m: Int64, _ d: Int) -> Amount { Amount(mantissa: m, decimals: d) }
        let c = Column.total
        // No child printed: not decided here (Term.zero against the parent needs the slow path).
        var x = Self.index([Row(code: nil, label: "p", values: [c: amount(0, 2)]), Row(code: nil, label: "a")])
        #expect(!x.exactSum([1], column: 0, total: 0))
        // Blank parent: never exact here.
        x = Self.index([Row(code: nil, label: "p"), Row(code: nil, label: "a", values: [c: amount(5, 2)])])
        #expect(!x.exactSum([1], column: 0, total: 0))
        // Mixed decimals: left to the Term path.
        x = Self.index([Row(code: nil, label: "p", values: [c: amount(150, 2)]),
                        Row(code: nil, label: "a", values: [c: amount(10, 1)]), Row(code: nil, label: "b", values: [c: amount(50, 2)])])
        #expect(!x.exactSum([1, 2], column: 0, total: 0))
        // Same decimals, equal sum: exact; off by one: not.
        x = Self.index([Row(code: nil, label: "p", values: [c: amount(150, 2)]),
                        Row(code: nil, label: "a", values: [c: amount(100, 2)]), Row(code: nil, label: "b", values: [c: amount(50, 2)])])
        #expect(x.exactSum([1, 2], column: 0, total: 0))
        #expect(!x.exactSum([1], column: 0, total: 0))
        // A huge digit run beyond the bound: left to the Term path, which may find no term at all.
        let big = Int64.max / 5
        x = Self.index([Row(code: nil, label: "p", values: [c: amount(big, 0)]), Row(code: nil, label: "a", values: [c: amount(big, 0)])])
        #expect(!x.exactSum([1], column: 0, total: 0))
        // Full-width digits and non-ASCII labels are read before the index: only amounts matter.
        let wide = Amount("１２.５０"), ascii = Amount("12.50")
        #expect(wide != nil && wide == ascii)
        x = Self.index([Row(code: "２０１", label: "合　计", values: [c: wide ?? .zero]),
                        Row(code: nil, label: "一、基本", values: [c: ascii ?? .zero])])
        #expect(x.exactSum([1], column: 0, total: 0))
    }

    /// `functionAmount` of a code the table does not print, as first defined: the rows strictly
    /// under the code with no other printed code between them and it (on code texts), summed.
    static func functionAmountByDefinition(_ x: TableIndex, code q: String, column: Int?) -> Term? {
        func term(_ i: Int) -> Term? { column.flatMap { x.cell(i, $0) }.flatMap { Term($0) } }
        let codes = x.table.rows.map(\.code)
        let below = codes.indices.filter { i in codes[i].map { $0.hasPrefix(q) && $0 != q } ?? false }
        let under = below.filter { i in
            guard let c = codes[i] else { return false }
            return !below.contains { j in codes[j].map { $0 != c && c.hasPrefix($0) } ?? false }
        }
        if under.isEmpty { return nil }
        return Term.sum(under.map { term($0) ?? .blank })
    }

    @Test func functionAmountAgreesWithDefinition() {
        var g = SplitMix64(seed: 2024)
        for round in 0..<60 {
            // Random function codes of 3, 5 and 7 digits under a few classes, some levels left out,
            // some codes repeated, some rows without a code.
            var rows: [Row] = []
            for i in 0..<g.int(0...25) {
                let cls = 201 + g.int(0...3)
                let code: String?
                switch g.int(0...6) {
                case 0: code = nil
                case 1: code = "\(cls)"
                case 2, 3: code = "\(cls)\(String(format: "%02d", g.int(1...3)))"
                default: code = "\(cls)\(String(format: "%02d", g.int(1...3)))\(String(format: "%02d", g.int(1...3)))"
                }
                var values: [String: Amount] = [:]
                if g.int(0...5) > 0 { values[Column.total] = Amount(mantissa: Int64(g.int(-50...5000)), decimals: g.int(0...9) < 8 ? 2 : 1) }
                rows.append(Row(code: code, label: "行\(i)", values: values))
            }
            let t = Table(kind: .generalFunction, title: "t\(round)", line: 1, rows: rows, columns: [Column.total])
            let ctx = Context(doc: BudgetDocument(source: Source(name: "t", format: .text), tables: [t]), language: .zh)
            let x = ctx.index(t)
            let column = x.column(Column.total)
            for q in ["201", "202", "203", "204", "20101", "20102", "20203", "2010101", "2", "20", "205", "２０１"] {
                let fast = ctx.functionAmount(x, code: Code(q), column: column)
                let slow: Term?
                if let i = x.table.rows.firstIndex(where: { $0.code == q }) {
                    slow = column.flatMap { x.cell(i, $0) }.flatMap { Term($0) } ?? (x.table.rows[i].values.isEmpty ? nil : .blank)
                } else {
                    slow = Self.functionAmountByDefinition(x, code: q, column: column)
                }
                #expect(fast?.amount == slow?.amount && fast?.interval == slow?.interval, "\(q) in round \(round)")
            }
        }
    }

    /// R-TREE through prefix tables (tables beyond `TableRules.pairwiseRowLimit` coded rows)
    /// finds the same parents, children and top-level rows, in the same order, as comparing every
    /// pair: the same findings on random code trees (repeated codes, gaps, one- to nine-digit
    /// codes, rows without a code, sums that hold and sums that do not).
    @Test func codeTreeByPrefixTablesMatchesPairwise() {
        var g = SplitMix64(seed: 41)
        for round in 0..<40 {
            var rows: [Row] = [Row(code: nil, label: "合计", values: [Column.total: Amount(mantissa: Int64(g.int(0...90000)), decimals: 2)])]
            for i in 0..<g.int(1...160) {
                let cls = 200 + g.int(1...4)
                let code: String?
                switch g.int(0...9) {
                case 0: code = nil
                case 1, 2: code = "\(cls)"
                case 3, 4: code = "\(cls)\(String(format: "%02d", g.int(1...3)))"
                case 5: code = "\(g.int(1...9))"
                case 6: code = "\(cls)\(String(format: "%02d", g.int(1...3)))\(String(format: "%02d", g.int(1...3)))\(g.int(1...9))\(g.int(0...9))"
                default: code = "\(cls)\(String(format: "%02d", g.int(1...3)))\(String(format: "%02d", g.int(1...3)))"
                }
                var values: [String: Amount] = [:]
                if g.int(0...5) > 0 { values[Column.total] = Amount(mantissa: Int64(g.int(0...5000)), decimals: 2) }
                if g.int(0...3) > 0 { values[Column.basic] = Amount(mantissa: Int64(g.int(0...5000)), decimals: g.int(0...9) < 8 ? 2 : 1) }
                rows.append(Row(code: code, label: "行\(i)", values: values))
            }
            let t = Table(kind: .generalFunction, title: "t\(round)", line: 1, rows: rows, columns: [Column.total, Column.basic])
            let doc = BudgetDocument(source: Source(name: "t", format: .text), tables: [t])
            let pairwise = Context(doc: doc, language: .zh), indexed = Context(doc: doc, language: .zh)
            TableRules.numericTree(pairwise, pairwise.index(t), pairwiseRowLimit: Int.max)
            TableRules.numericTree(indexed, indexed.index(t), pairwiseRowLimit: 0)
            #expect(indexed.findings == pairwise.findings, "round \(round)")
            #expect(!pairwise.findings.isEmpty || rows.count < 3, "round \(round)")
        }
    }

    /// `value(row, name)`, what the rules read instead of a row's value dictionary, is that
    /// dictionary's entry for every row and every column name of the seeds' tables (and nil for
    /// a name no row or header carries, or no row).
    @Test func valueIsTheRowsDictionaryEntry() throws {
        for name in try Shared.goldNames() {
            let doc = try Shared.gold(name)
            for t in doc.tables {
                var unused = [Int](repeating: 0, count: Amount.maxDecimals + 1)
                let x = TableIndex(t, norm: Label.normalized, decimals: &unused)
                let names = Set(t.columns + t.rows.flatMap { $0.values.keys } + ["不存在的列"])
                for (r, row) in t.rows.enumerated() {
                    for n in names { #expect(x.value(r, n) == row.values[n], "\(name) \(t.title) row \(r) \(n)") }
                }
                #expect(x.value(nil, Column.total) == nil)
            }
        }
    }

    /// Cells under keys the header lacks (known to the catalogue or not) are laid out after the
    /// rows are read: the columns are every key, known ones in catalogue order then the others
    /// sorted, and every cell is where `value` finds it.
    @Test func cellsUnderKeysTheHeaderLacks() {
        var g = SplitMix64(seed: 42)
        let keys = [Column.total, Column.basic, Column.project, Column.fiscal, Column.generalBudget, "自定义列", "另一列", "x"]
        for _ in 0..<300 {
            let header = keys.filter { _ in g.int(0...2) == 0 }
            var rows: [Row] = []
            for r in 0..<g.int(0...6) {
                var values: [String: Amount] = [:]
                for k in keys where g.int(0...2) == 0 {
                    values[k] = Amount(mantissa: Int64(g.int(-500...5000)), decimals: g.int(0...3))
                }
                rows.append(Row(code: nil, label: "行\(r)", values: values))
            }
            var unused = [Int](repeating: 0, count: Amount.maxDecimals + 1)
            let t = Table(kind: .expenditure, title: "t", line: 1, rows: rows, columns: header)
            let x = TableIndex(t, norm: Label.normalized, decimals: &unused)
            let present = Set(header + rows.flatMap { $0.values.keys })
            let known = Column.all.filter { present.contains($0) }
            #expect(Array(x.columns) == known + present.subtracting(Column.all).sorted())
            for (r, row) in rows.enumerated() {
                for k in keys { #expect(x.value(r, k) == row.values[k]) }
            }
        }
    }

    /// R-BALANCE adds its parts' terms one by one (`plus`) instead of collecting them for
    /// `Term.sum`: the same term, and nil together (an overflow anywhere), on any list, including
    /// mixed decimals, negative amounts and mantissas near Int64's ends.
    /// `columns` names each position as the array of names did (known keys in `Column.all` order,
    /// then the others sorted), and `column(_:)` finds every name at its position there; the
    /// labels and their simplicity, read together whichever is asked first, are each row's
    /// normalised label and `DocumentRules.isSimple` of it.
    @Test func columnsAndLabelsAgreeWithDefinitions() throws {
        var g = SplitMix64(seed: 0xC011)
        let keys = Column.all + ["自定义列", "another", "tp.x", "z"]
        var labelWords = ["合计", "一、基本支出", "  工资福利支出", "（一）项目", "１２３", "其他：", "e\u{301}", "行 政"]
        if let name = try Shared.goldNames().first { labelWords += try Shared.seedLines(name).filter { !$0.isEmpty }.prefix(200) }
        for round in 0..<400 {
            let header = keys.filter { _ in g.int(0...3) == 0 }
            var rows: [Row] = []
            for r in 0..<g.int(0...12) {
                var values: [String: Amount] = [:]
                for k in keys where g.int(0...6) == 0 { values[k] = Amount(mantissa: Int64(r), decimals: 2) }
                rows.append(Row(code: nil, label: labelWords[g.int(0...(labelWords.count - 1))], values: values))
            }
            var unused = [Int](repeating: 0, count: Amount.maxDecimals + 1)
            let t = Table(kind: .expenditure, title: "t", line: 1, rows: rows, columns: header)
            let normalizer = LabelNormalizer()
            let x = TableIndex(t, norm: normalizer.norm, decimals: &unused)
            let present = Set(header + rows.flatMap { $0.values.keys })
            let names = Column.all.filter { present.contains($0) } + present.subtracting(Column.all).sorted()
            #expect(Array(x.columns) == names)
            #expect(x.columns.count == x.width)
            for (i, n) in names.enumerated() { #expect(x.column(n) == i && x.columns[i] == n) }
            for k in keys where !present.contains(k) { #expect(x.column(k) == nil) }
            let labels = rows.map { Label.normalized($0.label) }
            let simple = labels.map { l in l.utf8.withContiguousStorageIfAvailable(DocumentRules.isSimple) ?? false }
            if round % 2 == 0 {
                #expect(x.simpleLabels == simple)
                #expect(x.labels == labels)
            } else {
                #expect(x.labels == labels)
                #expect(x.simpleLabels == simple)
            }
        }
    }

    @Test func runningPlusAgreesWithTermSum() {
        var g = SplitMix64(seed: 4242)
        var lists: [[Term]] = [[], [Term.zero], [Term(Amount(mantissa: Int64.max, decimals: 0))].compactMap { $0 },
                               [Term(Amount(mantissa: Int64.min + 1, decimals: 2)), Term(Amount(mantissa: -1, decimals: 2))].compactMap { $0 }]
        for _ in 0..<3000 {
            lists.append((0..<g.int(0...6)).compactMap { _ in Self.randomAmount(&g).flatMap { Term($0) } })
        }
        for terms in lists {
            var running: Term? = Term.zero
            for t in terms { running = running?.plus(t) }
            let sum = Term.sum(terms)
            #expect((running == nil) == (sum == nil))
            #expect(running?.amount == sum?.amount && running?.interval == sum?.interval)
        }
    }
}
