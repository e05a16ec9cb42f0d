import Foundation
import Testing
import GoujiModel
@testable import GoujiReconcile
import GoujiTestSupport

/// Round 15 (TableRules cheaper per document): the lines of two-sided tables recognised without
/// comparing every label with the whole labels (`LineRole.mayEqual`) and without searching the
/// words of a function class's line (`LineRole.classNamesAreFunctionLines`), and `TwoSided`'s
/// lists made at their final length, against the readings they replace.
@Suite struct ReconcileRound15TableTests {
    /// `LineRole.income` / `expenditure` as written before round 15: every label compared with
    /// the whole labels, every word searched with `includes`.
    enum Reference {
        static func income(_ l: String) -> LineRole {
            if l == "收入总计" || l == "总计" { return .grand }
            func any(_ words: [String]) -> Bool { words.contains { l.includes($0) } }
            if any(["合计", "小计"]) || l == "本年收入" { return .subtotal }
            if any(["上年结转", "上年结余", "年初"]) { return .carryParent }
            if any(["结转"]) { return .carryChild }
            if any(["结余", "事业基金"]) { return .balance }
            if any(["一般公共预算", "政府性基金", "国有资本经营"]) { return .fiscalChild }
            if any(["财政拨款", "预算拨款"]) { return .fiscalParent }
            return .source
        }

        static func expenditure(_ l: String) -> LineRole {
            if l == "支出总计" || l == "总计" { return .grand }
            if ["合计", "小计"].contains(where: { l.includes($0) }) || l == "本年支出" { return .subtotal }
            if ["结转", "结余"].contains(where: { l.includes($0) }) { return .carryForward }
            if RuleTables.expenditureNatureLines[l] != nil { return .nature }
            return .function
        }

        /// `TwoSided`'s lists as they were built: row by row, each line's role read from its words.
        static func sides(_ x: TableIndex) -> [String: [Int]] {
            var out: [String: [Int]] = [:]
            var singles: [String: Int] = [:]
            func add(_ k: String, _ r: Int) { out[k, default: []].append(r) }
            func first(_ k: String, _ r: Int) { if singles[k] == nil { singles[k] = r } }
            var seenIncomeSubtotal = false, seenExpenditureSubtotal = false, functionBeforeSubtotal = false
            for (r, label) in x.labels.enumerated() {
                let side = x.table.rows[r].side
                if side == .income {
                    let role = income(label)
                    if singles["carryParent"] != nil, seenIncomeSubtotal, role == .fiscalParent || role == .fiscalChild || role == .source {
                        add("carryChildren", r)
                        continue
                    }
                    switch role {
                    case .grand: first("incomeGrand", r)
                    case .subtotal: first("incomeSubtotal", r); seenIncomeSubtotal = true
                    case .fiscalParent: if singles["fiscalParent"] == nil { singles["fiscalParent"] = r } else { add("incomeCurrent", r) }
                    case .fiscalChild: add("fiscalChildren", r)
                    case .carryParent: first("carryParent", r)
                    case .carryChild: add("carryChildren", r)
                    case .balance: add("incomeBeyond", r)
                    default: add(seenIncomeSubtotal ? "incomeBeyond" : "incomeCurrent", r)
                    }
                } else if side == .expenditure {
                    switch expenditure(label) {
                    case .grand: first("expenditureGrand", r)
                    case .subtotal:
                        first("expenditureSubtotal", r)
                        if !seenExpenditureSubtotal { functionBeforeSubtotal = !(out["functionLines"] ?? []).isEmpty }
                        seenExpenditureSubtotal = true
                    case .carryForward: add("carryForward", r)
                    case .nature:
                        let col = RuleTables.expenditureNatureLines[label]
                        let isTransfer = col == Column.toAffiliated || col == Column.toSuperior
                        add(isTransfer && seenExpenditureSubtotal && functionBeforeSubtotal ? "natureBeyond" : "natureLines", r)
                    default: add("functionLines", r)
                    }
                }
            }
            for (k, r) in singles { out[k] = [r] }
            return out
        }
    }

    static func lists(_ s: TableRules.TwoSided) -> [String: [Int]] {
        var out: [String: [Int]] = [
            "fiscalChildren": s.fiscalChildren, "carryChildren": s.carryChildren, "incomeCurrent": s.incomeCurrent,
            "incomeBeyond": s.incomeBeyond, "functionLines": s.functionLines, "natureLines": s.natureLines,
            "natureBeyond": s.natureBeyond, "carryForward": s.carryForward,
        ]
        let singles: [(String, Int?)] = [
            ("incomeGrand", s.incomeGrand), ("incomeSubtotal", s.incomeSubtotal), ("fiscalParent", s.fiscalParent),
            ("carryParent", s.carryParent), ("expenditureGrand", s.expenditureGrand), ("expenditureSubtotal", s.expenditureSubtotal),
        ]
        for (k, v) in singles { out[k] = v.map { [$0] } }
        return out.filter { !$0.value.isEmpty }
    }

    /// Words and whole labels the roles read, pieces of labels around them, and text that is not
    /// simple (combining marks, a compatibility ideograph, astral scalars).
    static let pieces: [String] = [
        "合计", "小计", "总计", "收入总计", "支出总计", "本年收入", "本年支出", "上年结转", "上年结余", "结转", "结余",
        "事业基金", "一般公共预算", "政府性基金", "国有资本经营", "财政拨款", "预算拨款", "年初", "收入", "支出", "本年",
        "一、", "（一）", "其他", "e\u{301}", "\u{F900}", "𝄞", " ", "　", "总", "计", "本", "年",
    ] + RuleTables.functionClasses.keys.sorted() + RuleTables.expenditureNatureLines.keys.sorted()

    static func labels() throws -> [String] {
        var out = trickyLabels + pieces
        for name in try Shared.goldNames() {
            for t in try Shared.gold(name).tables { out += t.rows.map { Label.normalized($0.label) } }
        }
        var g = SplitMix64(seed: 15)
        for _ in 0..<4000 {
            out.append((0..<g.int(1...3)).map { _ in pieces[g.int(0...(pieces.count - 1))] }.joined())
        }
        return out
    }

    /// Every function class name is read as a function line (the fast path is taken).
    @Test func classNamesAreFunctionLines() {
        #expect(LineRole.classNamesAreFunctionLines)
        for name in RuleTables.functionClasses.keys {
            #expect(LineRole.expenditure(normalized: name) == .function, "\(name)")
            #expect(Reference.expenditure(name) == .function, "\(name)")
        }
    }

    /// The roles read with the whole labels' words as a filter are the roles read by comparing
    /// every label, on the seeds' labels and thousands of labels pieced from the words.
    @Test func rolesAgreeWithReference() throws {
        for l in try Self.labels() {
            #expect(LineRole.income(normalized: l) == Reference.income(l), "\(l.debugDescription)")
            #expect(LineRole.expenditure(normalized: l) == Reference.expenditure(l), "\(l.debugDescription)")
        }
    }

    /// `TwoSided` (lists made at their final length, function class lines taken by name) files
    /// every line as the row-by-row reading does: the seeds' two-sided tables, and random
    /// two-sided tables of pieced labels, sides and rows without a side.
    @Test func twoSidedMatchesReference() throws {
        var tables: [Table] = []
        for name in try Shared.goldNames() {
            tables += try Shared.gold(name).tables.filter { $0.kind.isTwoSided }
        }
        #expect(!tables.isEmpty)
        var g = SplitMix64(seed: 1515)
        let labels = try Self.labels()
        for round in 0..<400 {
            let rows = (0..<g.int(0...(round % 4 == 0 ? 300 : 40))).map { i -> Row in
                let side: Side? = g.int(0...9) == 0 ? nil : g.int(0...1) == 0 ? .income : .expenditure
                return Row(code: nil, label: labels[g.int(0...(labels.count - 1))], side: side,
                           values: [Column.total: Amount(mantissa: Int64(i), decimals: 2)])
            }
            tables.append(Table(kind: .summary, title: "t\(round)", line: 1, rows: rows, columns: [Column.total]))
        }
        for t in tables {
            var unused = [Int](repeating: 0, count: Amount.maxDecimals + 1)
            let x = TableIndex(t, norm: Label.normalized, decimals: &unused)
            #expect(Self.lists(TableRules.TwoSided(x)) == Reference.sides(x), "\(t.title)")
        }
    }
}
