import Foundation
import Testing
import GoujiModel
@testable import GoujiReconcile
import GoujiTestSupport

/// The table side's fast paths of round 10 against the slower readings they stand for: R-COLS on
/// known-key bit sets (`knownColumnSum`) against the rule read by name (`namedColumnSum`), the
/// columns `sumCheck` skips (`settledColumns`) against `exactSum` and the cells, code lengths read
/// from the index (`CrossRules.hasCode`) against counting characters, and `Context.index(at:)`
/// against `Context.index(_:)`.
@Suite struct ReconcileRound10TableTests {
    static let keys = RuleTables.incomeSources + [Column.total, Column.basic, Column.project, Column.operatingExp,
                                                  Column.toAffiliated, Column.toSuperior, Column.personnel,
                                                  Column.publicFunds, Column.carryForward, "自定义列"]

    static func amount(_ g: inout SplitMix64) -> Amount {
        switch g.int(0...9) {
        case 0: return Amount(mantissa: Int64.max - Int64(g.int(0...10)), decimals: 2)   // overflows a sum
        case 1: return Amount(mantissa: Int64(g.int(0...3000)), decimals: g.int(0...3))
        case 2: return Amount(mantissa: -Int64(g.int(0...300)), decimals: 2)
        default: return Amount(mantissa: Int64(g.int(0...3000)), decimals: 2)
        }
    }

    /// A table whose rows mostly add up (total = Σ of some parts), with a wrong digit, another
    /// precision, a blank or a huge amount here and there, and keys the header lacks.
    static func table(_ g: inout SplitMix64, kind: TableKind = .income) -> Table {
        let header = keys.filter { _ in g.int(0...2) == 0 }
        var rows: [Row] = []
        for r in 0..<g.int(0...8) {
            var values: [String: Amount] = [:]
            var sum: Int64 = 0
            for k in keys where k != Column.total && g.int(0...3) == 0 {
                let a = amount(&g)
                values[k] = a
                if a.decimals == 2 { sum &+= a.mantissa }
            }
            switch g.int(0...5) {
            case 0: break
            case 1: values[Column.total] = amount(&g)
            default: values[Column.total] = Amount(mantissa: sum &+ Int64(g.int(0...4) == 0 ? 1 : 0), decimals: 2)
            }
            rows.append(Row(code: r % 2 == 0 ? nil : "20\(r)", label: "行\(r)", values: values))
        }
        return Table(kind: kind, title: "表", line: 1, rows: rows, columns: header)
    }

    /// Every rule with bit sets gives, on random tables, the findings the rule read by name gives.
    @Test func knownColumnSumMatchesNamed() {
        var g = SplitMix64(seed: 1010)
        var findings = 0
        for round in 0..<400 {
            let t = Self.table(&g)
            let doc = BudgetDocument(source: Source(name: "t", format: .text), tables: [t])
            let known = Context(doc: doc, language: round % 2 == 0 ? .zh : .en)
            let named = Context(doc: doc, language: round % 2 == 0 ? .zh : .en)
            let flowTable = g.int(0...3) == 0
            TableRules.knownPlans.withUnsafeBufferPointer { plans in
                for n in 0..<Int(plans[0]) {
                    let at = Int(plans[1 + n])
                    #expect(at >= 0, "rule \(n) has bit sets")
                    guard at >= 0 else { continue }
                    TableRules.knownColumnSum(known, known.index(at: 0), n, plans, at, flowTable: flowTable)
                    TableRules.namedColumnSum(named, named.index(at: 0), n, flowTable: flowTable)
                }
            }
            #expect(known.findings == named.findings, "round \(round)")
            findings += named.findings.count
        }
        #expect(findings > 100)
    }

    /// A column `settledColumns` settles is one where `exactSum` holds or nothing is printed by
    /// the parent or a child; and every column where `exactSum` holds is settled.
    @Test func settledColumnsAreTheExactOrBlankOnes() {
        var g = SplitMix64(seed: 1011)
        for _ in 0..<400 {
            let t = Self.table(&g)
            guard t.rows.count >= 2 else { continue }
            var unused = [Int](repeating: 0, count: Amount.maxDecimals + 1)
            let x = TableIndex(t, norm: Label.normalized, decimals: &unused)
            let parent = g.int(0...(t.rows.count - 1))
            let children = (0..<t.rows.count).filter { $0 != parent && g.int(0...1) == 0 }
            children.withUnsafeBufferPointer { rows in
                let settled = x.settledColumns(rows, parent: parent)
                for c in 0..<x.width {
                    let exact = x.exactSum(rows, column: c, total: parent)
                    let blank = !x.printed(parent, c) && !children.contains { x.printed($0, c) }
                    #expect((settled & (1 << UInt64(c)) != 0) == (exact || blank))
                }
            }
        }
    }

    /// `hasCode` is "some row's code has `length` characters", on ASCII digits, full-width
    /// digits, letters, NBSP and Chinese.
    @Test func codeLengthFromTheIndex() {
        let codes: [String?] = [nil, "", "201", "2010101", "30101", "２０１０１", "A1234", "3010\u{A0}", "一二三四五", "12345678901234567890", "0"]
        var g = SplitMix64(seed: 1012)
        for _ in 0..<300 {
            let rows = (0..<g.int(0...5)).map { i in Row(code: codes[g.int(0...(codes.count - 1))], label: "行\(i)") }
            let t = Table(kind: .basicEconomic, title: "t", line: 1, rows: rows, columns: [Column.total])
            var unused = [Int](repeating: 0, count: Amount.maxDecimals + 1)
            let x = TableIndex(t, norm: Label.normalized, decimals: &unused)
            for length in [0, 3, 5, 7, 20] {
                #expect(CrossRules.hasCode(x, length: length) == rows.contains { ($0.code?.count ?? 0) == length })
            }
        }
    }

    /// `index(at: i)` is the index `index(doc.tables[i])` gives, on every gold document, and on
    /// tables sharing a line (and a kind, and a title).
    @Test func indexAtPositionIsIndexOfTable() throws {
        var docs = try Shared.goldNames().map { try Shared.gold($0) }
        let a = Table(kind: .income, title: "a", line: 7, rows: [], columns: [])
        let b = Table(kind: .income, title: "b", line: 7, rows: [Row(code: nil, label: "合计")], columns: [])
        let c = Table(kind: .expenditure, title: "a", line: 7, rows: [], columns: [])
        docs.append(BudgetDocument(source: Source(name: "t", format: .text), tables: [a, b, c, b, a]))
        for doc in docs {
            let ctx = Context(doc: doc, language: .zh)
            for i in doc.tables.indices { #expect(ctx.index(at: i) === ctx.index(doc.tables[i])) }
        }
    }
}
