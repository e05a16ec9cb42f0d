import Foundation
import Testing
import GoujiModel
@testable import GoujiReconcile
import GoujiTestSupport

/// X-TOTAL's members read from `RuleTables.totalMembers` must be the members the hand-written
/// reads gave (name, figure and places, figure by figure), on every seed's tables and on many
/// random changes of their amounts; X-BASIC's numeric-key lookup must find the rows `Code`
/// lookup finds; the static column ids must be `ColumnID.of` of their names.
@Suite struct Rcross16Tests {
    /// What a member is compared by and reported with.
    struct Read: Equatable {
        let name: String
        let amount: Amount
        let interval: Interval
        let spending: Bool
        let refs: [FindingRef]
    }

    // MARK: The hand-written X-TOTAL reads (reference)

    static func read(_ ctx: Context, _ x: TableIndex, _ row: Int, _ col: String, _ term: Term, _ name: String,
                     spending: Bool, more: [String] = [], rows: [Int] = []) -> Read {
        let refs = rows.isEmpty ? [ctx.ref(x, row, col)] + more.map { ctx.ref(x, row, $0) } : rows.map { ctx.ref(x, $0, col) }
        return Read(name: name, amount: term.amount, interval: term.interval, spending: spending, refs: refs)
    }

    static func member(_ ctx: Context, _ x: TableIndex?, row: Int?, _ col: String, _ name: String, spending: Bool = false) -> Read? {
        guard let x, let row, let c = x.column(col), let v = x.cell(row, c), let term = Term(v) else { return nil }
        return read(ctx, x, row, col, term, name, spending: spending)
    }

    static func members(_ ctx: Context, _ x: TableIndex?, rows: [Int], _ col: String, _ name: String, spending: Bool = false) -> Read? {
        guard let x, let c = x.column(col) else { return nil }
        let printed = rows.filter { x.printed($0, c) }
        let total = x.column(Column.total)
        guard !printed.isEmpty,
              let sum = Term.sum(printed.compactMap { r in total.flatMap { x.cell(r, $0) }.flatMap { Term($0) } }) else { return nil }
        return read(ctx, x, printed[0], col, sum, name, spending: spending, rows: printed)
    }

    static func reference(_ ctx: Context) -> [[Read]] {
        let xi = ctx.firstIndex(.income), xe = ctx.firstIndex(.expenditure), xg = ctx.firstIndex(.generalFunction)
        let s = ctx.summarySides, f = ctx.fiscalSides
        let xs = ctx.firstIndex(.summary), xf = ctx.firstIndex(.fiscalSummary)
        let incomeTotal = xi?.totalIndex
        var all: [Read] = []
        if let m = member(ctx, xs, row: s?.incomeSubtotal, Column.total, "收支总表 本年收入合计") { all.append(m) }
        if let m = member(ctx, xs, row: s?.expenditureSubtotal, Column.total, "收支总表 本年支出合计", spending: true) { all.append(m) }
        if let xi, let r = incomeTotal, let c = xi.column(Column.total), let v = xi.cell(r, c), var term = Term(v) {
            var more: [String] = []
            for col in [Column.priorCarryover, Column.nonFiscalBalance] {
                if let k = xi.column(col), let x = xi.cell(r, k), let xt = Term(x), let d = term.minus(xt) {
                    term = d
                    more.append(col)
                }
            }
            all.append(read(ctx, xi, r, Column.total, term, "收入总表 合计", spending: false, more: more))
        }
        if let m = member(ctx, xe, row: xe?.totalIndex, Column.total, "支出总表 合计", spending: true) { all.append(m) }
        var fiscal: [Read] = []
        if let s {
            if let m = member(ctx, xs, row: s.fiscalParent, Column.total, "收支总表 财政拨款收入") ?? members(ctx, xs, rows: s.fiscalChildren, Column.total, "收支总表 财政拨款收入各项") { fiscal.append(m) }
        }
        if let f {
            if let m = member(ctx, xf, row: f.fiscalParent, Column.total, "财政拨款收支总表 财政拨款收入") ?? members(ctx, xf, rows: f.fiscalChildren, Column.total, "财政拨款收支总表 收入各项") { fiscal.append(m) }
            if let m = member(ctx, xf, row: f.expenditureSubtotal, Column.total, "财政拨款收支总表 本年支出", spending: true) ?? members(ctx, xf, rows: f.functionLines, Column.total, "财政拨款收支总表 支出各项", spending: true) { fiscal.append(m) }
        }
        if let m = member(ctx, xi, row: incomeTotal, Column.fiscal, "收入总表 合计 财政拨款") { fiscal.append(m) }
        var gb: [Read] = []
        if let m = member(ctx, xg, row: xg?.totalIndex, Column.total, "一般公共预算支出表 合计", spending: true) { gb.append(m) }
        if let m = member(ctx, xi, row: incomeTotal, Column.generalBudget, "收入总表 合计 一般公共预算") { gb.append(m) }
        if let s, let xs, let r = s.fiscalChildren.first(where: { xs.labels[$0].includes("一般公共预算") }),
           let m = member(ctx, xs, row: r, Column.total, "收支总表 \(xs.labels[r])") { gb.append(m) }
        if let f, let xf, let r = f.fiscalChildren.first(where: { xf.labels[$0].includes("一般公共预算") }),
           let m = member(ctx, xf, row: r, Column.total, "财政拨款收支总表 \(xf.labels[r])") { gb.append(m) }
        if let f, let m = member(ctx, xf, row: f.expenditureSubtotal ?? f.expenditureGrand, Column.generalBudget, "财政拨款收支总表 支出 一般公共预算", spending: true) { gb.append(m) }
        let xge = ctx.firstIndex(.generalEconomic)
        if let m = member(ctx, xge, row: xge?.totalIndex, Column.total, "一般公共预算支出经济分类表 合计", spending: true) { gb.append(m) }
        return [all, fiscal, gb]
    }

    static func referenceCarries(_ ctx: Context) -> Bool {
        func carries(_ s: TableRules.TwoSided?, _ x: TableIndex?) -> Bool {
            guard let s, let x, let c = x.column(Column.total) else { return false }
            for rows in [s.carryRows, s.incomeBeyond, s.carryForward] {
                for r in rows where CrossRules.printsMoney(x, r, c) { return true }
            }
            return false
        }
        let xi = ctx.firstIndex(.income)
        var income = false
        if let xi, let r = xi.totalIndex {
            for col in [Column.priorCarryover, Column.nonFiscalBalance] where xi.column(col).map({ CrossRules.printsMoney(xi, r, $0) }) ?? false { income = true }
        }
        return carries(ctx.summarySides, ctx.firstIndex(.summary)) || carries(ctx.fiscalSides, ctx.firstIndex(.fiscalSummary)) || income
    }

    // MARK: The table-driven reads

    static func tableDriven(_ ctx: Context) -> [[Read]] {
        let sources = RuleTables.totalMembers
        var out = [[Read]](repeating: [], count: RuleTables.totalFigures.count)
        var read = false
        for k in sources.indices {
            let m = sources[k]
            if m.place.isFallback && read { continue }
            read = false
            if let member = CrossRules.member(ctx, k, sources) {
                read = true
                out[m.figure].append(Read(name: CrossRules.name(ctx, member), amount: member.term.amount, interval: member.term.interval,
                                          spending: member.spending, refs: CrossRules.refs(ctx, member)))
            }
        }
        return out
    }

    // MARK: Documents

    static let kinds: Set<TableKind> = [.summary, .fiscalSummary, .income, .expenditure, .generalFunction, .generalEconomic]

    static func amount(_ g: inout SplitMix64) -> Amount {
        switch g.int(0...7) {
        case 0: return Amount(mantissa: 0, decimals: 2)
        case 1: return Amount(mantissa: Int64.max - Int64(g.int(0...5)), decimals: 2)
        case 2: return Amount(mantissa: -Int64(g.int(1...5000)), decimals: g.int(0...2))
        default: return Amount(mantissa: Int64(g.int(0...900_000)), decimals: g.int(0...9) < 7 ? 2 : g.int(0...4))
        }
    }

    /// `doc` with some amounts of the X-TOTAL tables changed, removed or added.
    static func mutated(_ doc: BudgetDocument, _ g: inout SplitMix64) -> BudgetDocument {
        var d = doc
        let columns = [Column.total, Column.fiscal, Column.generalBudget, Column.priorCarryover, Column.nonFiscalBalance]
        for t in d.tables.indices where kinds.contains(d.tables[t].kind) {
            for r in d.tables[t].rows.indices where g.int(0...5) == 0 {
                let col = columns[g.int(0...(columns.count - 1))]
                switch g.int(0...3) {
                case 0: d.tables[t].rows[r].values[col] = nil
                default: d.tables[t].rows[r].values[col] = amount(&g)
                }
            }
        }
        return d
    }

    @Test func totalMembersAreTheHandWrittenOnes() throws {
        let names = try Shared.goldNames()
        #expect(!names.isEmpty, "no gold readings: set GOUJI_SHARED")
        var g = SplitMix64(seed: 1616)
        var compared = 0
        for name in names {
            let gold = try Shared.gold(name)
            for round in 0..<200 {
                let doc = round == 0 ? gold : Self.mutated(gold, &g)
                let ctx = Context(doc: doc, language: round % 2 == 0 ? .zh : .en)
                let expected = Self.reference(ctx)
                let found = Self.tableDriven(ctx)
                #expect(found == expected, "\(name) round \(round)")
                let xi = ctx.firstIndex(.income)
                let carries = CrossRules.carriesOver(ctx.firstIndex(.summary)) || CrossRules.carriesOver(ctx.firstIndex(.fiscalSummary))
                    || CrossRules.incomeCarries(xi, row: xi?.totalIndex)
                #expect(carries == Self.referenceCarries(ctx), "\(name) round \(round)")
                compared += expected.reduce(0) { $0 + $1.count }
            }
        }
        #expect(compared > 1000)
    }

    /// The members of one figure are listed together, figures in order, each fallback right after
    /// the single line it stands in for (same table); every column id is its name's.
    @Test func totalMembersTableIsWellFormed() {
        let sources = RuleTables.totalMembers
        for k in sources.indices {
            #expect(sources[k].columnID == ColumnID.of(sources[k].column))
            if k > 0 { #expect(sources[k].figure == sources[k - 1].figure || sources[k].figure == sources[k - 1].figure + 1) }
            if sources[k].place.isFallback {
                #expect(k > 0 && !sources[k - 1].place.isFallback && sources[k - 1].kind == sources[k].kind && sources[k - 1].figure == sources[k].figure)
            }
        }
        #expect(sources.last?.figure == RuleTables.totalFigures.count - 1)
        for pair in CrossRules.ColumnPair.spending + CrossRules.ColumnPair.total + CrossRules.ColumnPair.generalBudget {
            #expect(pair.aID == ColumnID.of(pair.a) && pair.bID == ColumnID.of(pair.b))
        }
    }

    /// X-BASIC finds a general economic row's basic and project rows by the number and length
    /// the index read when the code is numeric: the rows `rowIndex(Code(code))` finds, on random
    /// codes and on every seed's economic tables.
    @Test func numericKeyFindsTheCodesRows() throws {
        var g = SplitMix64(seed: 1617)
        let pool = ["30101", "30102", "301", "302", "30217", "030217", "3021", "00", "0", "2080505", "99999999999999999",
                    "123456789012345678", "30a01", "３０１", "301.01", "", " 301", "30217 ", "-301", "+302"]
        func index(_ codes: [String?], kind: TableKind) -> TableIndex {
            var unused = [Int](repeating: 0, count: Amount.maxDecimals + 1)
            let rows = codes.enumerated().map { Row(code: $1, label: "行\($0)", values: [Column.total: Amount(mantissa: Int64($0), decimals: 2)]) }
            return TableIndex(Table(kind: kind, title: "t", line: 1, rows: rows, columns: [Column.total]), norm: Label.normalized, decimals: &unused)
        }
        func check(_ a: TableIndex, _ b: TableIndex) {
            for i in 0..<a.rowCount {
                guard let code = a.table.rows[i].code else { continue }
                let number = a.codeNumber(i)
                let found = number >= 0 ? b.rowIndex(numericKey: number << 5 | Int64(a.codeLength(i))) : b.rowIndex(Code(code))
                #expect(found == b.rowIndex(Code(code)), "\(code)")
            }
        }
        for _ in 0..<300 {
            func codes() -> [String?] { (0..<g.int(0...12)).map { _ in g.int(0...6) == 0 ? nil : pool[g.int(0...(pool.count - 1))] } }
            check(index(codes(), kind: .generalEconomic), index(codes(), kind: .basicEconomic))
        }
        for name in try Shared.goldNames() {
            let ctx = Context(doc: try Shared.gold(name), language: .zh)
            guard let ge = ctx.firstIndex(.generalEconomic) else { continue }
            for kind in [TableKind.basicEconomic, .projectEconomic] {
                if let other = ctx.firstIndex(kind) { check(ge, other) }
            }
        }
    }
}
