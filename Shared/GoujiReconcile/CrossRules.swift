import GoujiModel

/// Rules across tables: X-TOTAL, X-FUNC, X-BASIC, X-ECON-FUNC, X-3PUB, X-PROJ.
enum CrossRules {
    static func run(_ ctx: Context) {
        totals(ctx)
        summaryLines(ctx)
        functions(ctx)
        basic(ctx)
        econFunc(ctx)
        threePublic(ctx)
        projects(ctx)
    }

    // MARK: X-TOTAL

    /// A member of an X-TOTAL figure as read: which of `RuleTables.totalMembers` it is
    /// (`source`), its figure, and the row it is printed on (for summed lines, the first of them).
    /// `net`: for a `.netTotal` member, the columns taken off (bit 0 上年结转, bit 1
    /// 非财政拨款结余). Its name and places are made from these only for a finding (nearly every
    /// member agrees with its anchor).
    struct Member {
        let source: Int
        let term: Term
        let row: Int
        let net: UInt8
        let spending: Bool
    }

    /// The columns a `.netTotal` member takes off the total, by their bit in `Member.net`.
    static let netColumns = [Column.priorCarryover, Column.nonFiscalBalance]

    /// Reads member `k` of `sources` (`RuleTables.totalMembers`) in the first table of its kind, or
    /// nil when that table does not print it. (Its fields are read in place: a copy of the member
    /// retains and releases its strings.)
    static func member(_ ctx: Context, _ k: Int, _ sources: [RuleTables.TotalMember]) -> Member? {
        let place = sources[k].place
        guard let x = ctx.firstIndex(sources[k].kind), let c = x.column(sources[k].column, id: sources[k].columnID) else { return nil }
        let row: Int?
        switch place {
        case .total, .netTotal: row = x.totalIndex
        case .incomeSubtotal: row = x.sides.incomeSubtotal
        case .expenditureSubtotal: row = x.sides.expenditureSubtotal
        case .expenditureSubtotalOrGrand: row = x.sides.expenditureSubtotal ?? x.sides.expenditureGrand
        case .fiscalParent: row = x.sides.fiscalParent
        case .generalBudgetChild:
            let labels = x.labels
            row = x.sides.fiscalChildren.first { labels[$0].includes("一般公共预算") }
        case .fiscalChildren, .functionLines:
            // The lines that print the column, their terms added as read (`Term.sum` of them:
            // the same additions in the same order, nil on any overflow); none printed, no member.
            let rows = place == .fiscalChildren ? x.sides.fiscalChildren : x.sides.functionLines
            var first = -1
            var sum: Term? = Term.zero
            for r in rows {
                guard let v = x.cell(r, c) else { continue }
                if first < 0 { first = r }
                if let t = Term(v) { sum = sum?.plus(t) }
            }
            guard first >= 0, let sum else { return nil }
            return Member(source: k, term: sum, row: first, net: 0, spending: sources[k].spending)
        }
        guard let row, let v = x.cell(row, c), var term = Term(v) else { return nil }
        var net: UInt8 = 0
        if place == .netTotal {
            for (bit, col) in netColumns.enumerated() {
                if let n = x.column(col), let a = x.cell(row, n), let t = Term(a), let d = term.minus(t) {
                    term = d
                    net |= 1 << UInt8(bit)
                }
            }
        }
        return Member(source: k, term: term, row: row, net: net, spending: sources[k].spending)
    }

    /// X-TOTAL: every member of `RuleTables.totalMembers` read in one loop, each figure's members
    /// then compared as a group (`groupBySide`).
    static func totals(_ ctx: Context) {
        let sources = RuleTables.totalMembers
        let xi = ctx.firstIndex(.income)
        let xs = ctx.firstIndex(.summary), xf = ctx.firstIndex(.fiscalSummary)
        let carries = carriesOver(xs) || carriesOver(xf) || incomeCarries(xi, row: xi?.totalIndex)
        // The members read, one figure's after another's, in a temporary buffer of one slot per
        // source (`count` stays below `sources.count`; `Member` holds no reference, so nothing
        // is left to release).
        withUnsafeTemporaryAllocation(of: Member.self, capacity: sources.count) { buffer in
            var count = 0
            var start = 0
            var read = false
            for k in sources.indices {
                // A fallback is read only when the member listed before it was not.
                if sources[k].place.isFallback && read { continue }
                read = false
                if let member = member(ctx, k, sources) {
                    buffer.initializeElement(at: count, to: member)
                    count += 1
                    read = true
                }
                if k + 1 == sources.count || sources[k + 1].figure != sources[k].figure {
                    groupBySide(ctx, carries: carries, UnsafeBufferPointer(rebasing: buffer[start..<count]))
                    start = count
                }
            }
        }
    }

    /// X-TOTAL's `group` of `members`; where money crosses the year boundary (`carries`), a year's
    /// spending differs from its income by the carry-over (本年支出 = 本年收入 + 上年结转 − 结转下年),
    /// so income figures are compared with income figures and spending with spending, each in
    /// their order (R-BALANCE checks each two-sided table's totals with the carry-over in them).
    static func groupBySide(_ ctx: Context, carries: Bool, _ members: UnsafeBufferPointer<Member>) {
        guard carries else {
            group(ctx, members)
            return
        }
        group(ctx, members, spending: false)
        group(ctx, members, spending: true)
    }

    /// One figure, every table that carries it. The value most members agree on is the anchor;
    /// each member that disagrees with it is a finding. With `spending`, only the members of that
    /// side are the group (read in place by position: no filtered array, no member copied).
    static func group(_ ctx: Context, _ members: UnsafeBufferPointer<Member>, spending: Bool? = nil) {
        func inGroup(_ i: Int) -> Bool { spending.map { members[i].spending == $0 } ?? true }
        var size = 0
        for i in members.indices where inGroup(i) { size += 1 }
        guard size >= 2 else { return }
        var best = -1
        var bestCount = -1
        // Counted, not filtered: no array of the agreeing members per member.
        for i in members.indices where inGroup(i) {
            let term = members[i].term
            var n = 0
            for o in members.indices where inGroup(o) && members[o].term.agreement(with: term) != .mismatch { n += 1 }
            if n > bestCount { best = i; bestCount = n }
        }
        for i in members.indices where i != best && inGroup(i) {
            // (What `ctx.compare` reports nothing for is not passed to it.)
            if members[best].term.agreement(with: members[i].term) != .exact {
                reportTotal(ctx, members[i], against: members[best])
            }
        }
    }

    /// The finding of X-TOTAL member `m` disagreeing with its figure's anchor `best`: names and
    /// places made here, out of the comparing loop.
    @inline(never)
    static func reportTotal(_ ctx: Context, _ m: Member, against best: Member) {
        let what = RuleTables.totalFigures[RuleTables.totalMembers[best.source].figure]
        ctx.compare("X-TOTAL", expected: best.term, found: m.term,
                    whatZH: "\(what.zh)：\(name(ctx, m)) 应与 \(name(ctx, best)) 一致",
                    whatEN: "\(what.en): \(name(ctx, m)) must equal \(name(ctx, best))",
                    refs: refs(ctx, m) + refs(ctx, best),
                    adviceZH: "同一总数在各表中应相同，请核对。", adviceEN: "The same total must agree in every table that carries it.")
    }

    /// A member's name in a finding.
    static func name(_ ctx: Context, _ m: Member) -> String {
        let source = RuleTables.totalMembers[m.source]
        guard source.place == .generalBudgetChild, let x = ctx.firstIndex(source.kind) else { return source.name }
        return "\(source.name) \(x.labels[m.row])"
    }

    /// Where a member's figure is printed: its row in its column (each summed line, for summed
    /// lines), then, for a net total, the columns taken off it.
    static func refs(_ ctx: Context, _ m: Member) -> [FindingRef] {
        let source = RuleTables.totalMembers[m.source]
        guard let x = ctx.firstIndex(source.kind) else { return [] }
        if source.place.isFallback, let c = x.column(source.column) {
            let rows = source.place == .fiscalChildren ? x.sides.fiscalChildren : x.sides.functionLines
            return rows.filter { x.printed($0, c) }.map { ctx.ref(x, $0, source.column) }
        }
        var out = [ctx.ref(x, m.row, source.column)]
        for (bit, col) in netColumns.enumerated() where m.net & (1 << UInt8(bit)) != 0 {
            out.append(ctx.ref(x, m.row, col))
        }
        return out
    }

    /// Whether a two-sided table prints money crossing the year boundary: a carry-over line
    /// (上年结转, 年初结转和结余), a balance drawn on (用事业基金弥补收支差额) or a carry forward
    /// (结转下年) with an amount other than zero in its 合计.
    static func carriesOver(_ x: TableIndex?) -> Bool {
        guard let x, let c = x.column(Column.total) else { return false }
        let s = x.sides
        // (`carryRows` without the array it makes of a single line.)
        if let r = s.carryParent {
            if printsMoney(x, r, c) { return true }
        } else {
            for r in s.carryChildren where printsMoney(x, r, c) { return true }
        }
        for r in s.incomeBeyond where printsMoney(x, r, c) { return true }
        for r in s.carryForward where printsMoney(x, r, c) { return true }
        return false
    }

    /// Whether the income table's total row prints a carry-over or a balance drawn on.
    static func incomeCarries(_ x: TableIndex?, row: Int?) -> Bool {
        guard let x, let row else { return false }
        for col in netColumns {
            if let k = x.column(col), printsMoney(x, row, k) { return true }
        }
        return false
    }

    /// Whether row `r` of a table's index prints an amount other than zero in column position `c`.
    static func printsMoney(_ x: TableIndex, _ r: Int, _ c: Int) -> Bool {
        x.cell(r, c).map { !$0.isZero } ?? false
    }

    /// The income table column of a summary income line of another source, by its words.
    static let sourceColumns: [(word: String, column: String)] = [
        ("财政专户", Column.fiscalSpecial), ("教育收费", Column.eduFee), ("经营", Column.operating),
        ("事业收入", Column.business), ("上级补助", Column.superior), ("附属单位", Column.affiliated),
        ("其他", Column.other),
    ]
    static let sourceWords = WordSet(sourceColumns.map(\.word))

    /// The column of the income table a summary income line restates, by its label normalised
    /// (`ctx.norm` of the printed label: the summary index's `labels`).
    static func incomeColumn(_ ctx: Context, normalized l: String) -> String? {
        switch LineRole.income(normalized: ctx.norm(l)) {
        case .fiscalParent: return Column.fiscal
        case .fiscalChild:
            if l.includes("一般公共预算") { return Column.generalBudget }
            if l.includes("政府性基金") { return Column.govFund }
            return Column.stateCapital
        case .carryParent: return Column.priorCarryover
        case .balance: return Column.nonFiscalBalance
        case .source:
            // The first source word (in this order) the line includes, all searched in one pass.
            let found = sourceWords.present(l)
            for (k, s) in sourceColumns.enumerated() where found & (1 << UInt64(k)) != 0 { return s.column }
            return nil
        default: return nil
        }
    }

    /// Summary lines that restate a column of the income or expenditure table's 合计 row.
    static func summaryLines(_ ctx: Context) {
        // Rows by position in the tables' indexes: cells and normalised labels from the index
        // (no row copied, no value dictionary hashed).
        guard let xs = ctx.firstIndex(.summary) else { return }
        let rows = xs.table.rows
        let summaryTotal = xs.column(Column.total)
        // (Each label's simplicity is known to the index: the lookup need not work it out.)
        let labels = xs.labels, simple = xs.simpleLabels
        // The income lines against the income table, then the spending lines against the
        // expenditure table, in one loop body.
        for pass in 0..<2 {
            let income = pass == 0
            let side: Side = income ? .income : .expenditure
            guard let x = ctx.firstIndex(income ? .income : .expenditure), let t = x.totalIndex else { continue }
            for i in rows.indices where rows[i].side == side {
                // The column restated, and its cell in the total row: an income column the table
                // lacks leaves the line out; a spending column it lacks is a blank.
                let col: String
                let restated: Amount?
                if income {
                    guard let c = incomeColumn(ctx, normalized: labels[i]), let p = x.column(c) else { continue }
                    col = c
                    restated = x.cell(t, p)
                } else {
                    guard let c = RuleTables.expenditureNatureTable[labels[i], simple: simple[i]] else { continue }
                    col = c
                    restated = x.column(c).flatMap { x.cell(t, $0) }
                }
                let stated = summaryTotal.flatMap { xs.cell(i, $0) }
                if stated == nil && restated == nil { continue }
                let a = restated.flatMap { Term($0) } ?? .blank
                let b = stated.flatMap { Term($0) } ?? .blank
                // (What `ctx.compare` reports nothing for is not passed to it.)
                if a.agreement(with: b) != .exact {
                    reportSummaryLine(ctx, xs, i, a, b, x, t, col, income: income)
                }
            }
        }
    }

    /// The finding of summary line `i` disagreeing with the column `col` it restates in row `t`
    /// of the income (`income`) or expenditure table `x`: texts and places made out of the loop.
    @inline(never)
    static func reportSummaryLine(_ ctx: Context, _ xs: TableIndex, _ i: Int, _ a: Term, _ b: Term,
                                  _ x: TableIndex, _ t: Int, _ col: String, income: Bool) {
        ctx.compare("X-TOTAL", expected: a, found: b,
                    whatZH: "收支总表「\(xs.labels[i])」应等于\(income ? "收入总表" : "支出总表")合计行 \(col) 列",
                    whatEN: "summary line “\(xs.labels[i])” = \(income ? "income" : "expenditure") table total, column \(col)",
                    refs: [ctx.ref(xs, i, Column.total), ctx.ref(x, t, col)])
    }

    // MARK: X-FUNC

    /// A column of one table compared with a column of another (X-FUNC's `compareCodes`), with
    /// their `ColumnID.of`, worked out once: a lookup by name measures and compares the name
    /// on every call.
    struct ColumnPair {
        let a: String
        let b: String
        let aID: Int?
        let bID: Int?

        init(_ a: String, _ b: String) {
            self.a = a
            self.b = b
            aID = ColumnID.of(a)
            bID = ColumnID.of(b)
        }

        /// 合计, 基本支出, 项目支出 in both tables.
        static let spending = [Column.total, Column.basic, Column.project].map { ColumnPair($0, $0) }
        static let total = [ColumnPair(Column.total, Column.total)]
        static let generalBudget = [ColumnPair(Column.total, Column.generalBudget)]
    }

    /// Whether the total rows of two tables print the same value in these columns.
    /// (Out of line: `functions` asks it four times.)
    @inline(never)
    static func sameTotal(_ a: TableIndex?, _ ac: String, _ b: TableIndex?, _ bc: String) -> Bool {
        guard let a, let b, let x = a.value(a.totalIndex, ac), let y = b.value(b.totalIndex, bc) else { return false }
        return x.sameValue(as: y)
    }

    /// Compares the function-code rows of two tables, column by column.
    static func compareCodes(_ ctx: Context, _ xa: TableIndex, _ xb: TableIndex, columns: [ColumnPair], why: String, whyEN: String) {
        let depthA = xa.depth, depthB = xb.depth
        // Column positions in each table, looked up once.
        let ids = columns.map { (xa.column($0.a, id: $0.aID), xb.column($0.b, id: $0.bID)) }
        // One code: its rows in a and b, its length; the `Code` (its text) is made only where a
        // cell differs (nearly every code's cells are alike in both tables).
        func compare(_ ra: Int?, _ rb: Int?, length: Int, _ code: () -> Code) {
            var made: Code?
            for (pair, (ia, ib)) in zip(columns, ids) {
                let ca = pair.a, cb = pair.b
                // Both tables print the code's row with this cell, same digits at the same
                // decimals (nearly every code): the two terms are the same, so they agree
                // exactly (or, when unreadable, both are blank rows' zeros): nothing to report,
                // as the comparison below would find.
                if let ra, let rb, let ia, let ib, xa.sameCell(ra, ia, as: xb, rb, ib) { continue }
                let q = made ?? code()
                made = q
                let ta = ctx.functionAmount(xa, code: q, column: ia)
                let tb = ctx.functionAmount(xb, code: q, column: ib)
                // A code one table prints and the other cannot derive is compared against zero
                // only when the other table goes down to that level.
                guard ta != nil || tb != nil else { continue }
                if ta == nil && depthA < length { continue }
                if tb == nil && depthB < length { continue }
                let x = ta ?? .blank, y = tb ?? .blank
                if x.amount.isZero && y.amount.isZero { continue }
                // (What `ctx.compare` reports nothing for is not passed to it.)
                if x.agreement(with: y) != .exact {
                    reportFunctionItem(ctx, code: q.text, x, y, xa, ca, xb, cb, why: why, whyEN: whyEN)
                }
            }
        }
        // Each code once, in order of first appearance in a, then b: a row's code is new where
        // that row is the code's first row in its table (and, for b, a does not print it). A
        // numeric code is found by the number and length the index read (`firstCode` without
        // its `Code`).
        for i in 0..<xa.rowCount {
            let number = xa.codeNumber(i)
            if number >= 0 {
                let length = xa.codeLength(i)
                let key = number << 5 | Int64(length)
                guard xa.rowIndex(numericKey: key) == i else { continue }
                compare(i, xb.rowIndex(numericKey: key), length: length) {
                    Code(text: xa.table.rows[i].code ?? "", number: number, length: length)
                }
            } else if let c = xa.firstCode(i) {
                compare(i, xb.rowIndex(c), length: c.length) { c }
            }
        }
        for i in 0..<xb.rowCount {
            let number = xb.codeNumber(i)
            if number >= 0 {
                let length = xb.codeLength(i)
                let key = number << 5 | Int64(length)
                guard xb.rowIndex(numericKey: key) == i, xa.rowIndex(numericKey: key) == nil else { continue }
                compare(nil, i, length: length) {
                    Code(text: xb.table.rows[i].code ?? "", number: number, length: length)
                }
            } else if let c = xb.firstCode(i), xa.rowIndex(c) == nil {
                compare(nil, i, length: c.length) { c }
            }
        }
    }

    /// The finding of function item `code` disagreeing between column `cb` of `xb` and column
    /// `ca` of `xa`: texts and places made out of the comparing loop.
    @inline(never)
    static func reportFunctionItem(_ ctx: Context, code: String, _ x: Term, _ y: Term, _ xa: TableIndex, _ ca: String,
                                   _ xb: TableIndex, _ cb: String, why: String, whyEN: String) {
        ctx.compare("X-FUNC", expected: x, found: y,
                    whatZH: "功能科目 \(code)：\(xb.table.title) \(cb) 列应与 \(xa.table.title) \(ca) 列一致（\(why)）",
                    whatEN: "function item \(code): \(xb.table.title) column \(cb) must equal \(xa.table.title) column \(ca) (\(whyEN))",
                    refs: [ctx.ref(xb.table, xb.row(code: code), cb), ctx.ref(xa.table, xa.row(code: code), ca)])
    }

    static func functions(_ ctx: Context) {
        // The first tables' indexes (`ctx.first(kind)` copies the table; `ctx.index` of it is
        // `ctx.firstIndex(kind)`).
        let income = ctx.firstIndex(.income)
        let expenditure = ctx.firstIndex(.expenditure)
        let general = ctx.firstIndex(.generalFunction)
        // Expenditure ↔ general_function where all money is general budget.
        if let e = expenditure, let g = general, sameTotal(e, Column.total, g, Column.total) {
            compareCodes(ctx, g, e, columns: ColumnPair.spending, why: "支出全部为一般公共预算", whyEN: "all spending is general budget")
        }
        // Income ↔ expenditure by function code.
        if let i = income, let e = expenditure, sameTotal(i, Column.total, e, Column.total) {
            compareCodes(ctx, e, i, columns: ColumnPair.total, why: "收支按功能科目对应", whyEN: "income and spending by function item")
        }
        // Income general budget column ↔ general_function.
        if let i = income, let g = general, sameTotal(i, Column.generalBudget, g, Column.total),
           !(sameTotal(i, Column.total, g, Column.total) && expenditure != nil) {
            compareCodes(ctx, g, i, columns: ColumnPair.generalBudget, why: "一般公共预算收支对应", whyEN: "general budget income and spending")
        }
        // Two-sided tables: function-class lines against the function tables.
        if let summary = ctx.firstIndex(.summary), let e = expenditure ?? general {
            classLines(ctx, summary, [e], column: Column.total)
        }
        if let fs = ctx.firstIndex(.fiscalSummary), let g = general {
            // A fund whose table the document lacks leaves its part of a line's total unaccounted
            // for: such a line is compared in its general-budget column only (D-TABLES reports the
            // missing table). (Both lists made at their size: no array grown or joined.)
            let govFund = ctx.firstIndex(.govFund), stateCapital = ctx.firstIndex(.stateCapital)
            let sources: [TableIndex] = if let govFund, let stateCapital { [g, govFund, stateCapital] }
                else if let govFund { [g, govFund] } else if let stateCapital { [g, stateCapital] } else { [g] }
            let unaccounted: [String] = if govFund == nil && stateCapital == nil { [Column.govFund, Column.stateCapital] }
                else if govFund == nil { [Column.govFund] } else if stateCapital == nil { [Column.stateCapital] } else { [] }
            classLines(ctx, fs, sources, column: Column.total, unless: unaccounted)
            classLines(ctx, fs, [g], column: Column.generalBudget)
        }
    }

    /// X-FUNC for the function-class lines of a two-sided table: each line's `column` against the
    /// sum of the `sources`' rows of its class in their 合计 column; a line printing an amount
    /// other than zero in a column of `unless` is left out.
    static func classLines(_ ctx: Context, _ x: TableIndex, _ sources: [TableIndex], column: String, unless: [String] = []) {
        // Cells by position in the index (the header or a row carries every key a row prints).
        guard let position = x.column(column) else { return }
        let skipping = unless.compactMap { x.column($0) }
        let two = x.table
        let hasColumn = two.rows.indices.contains { two.rows[$0].side == .expenditure && x.cell($0, position) != nil }
        guard hasColumn else { return }
        let classes = x.functionClasses
        // Each source's index and column position, looked up once (`functionAmount(t, code:, column:)`).
        let positions = sources.map { $0.column(Column.total) }
        // The sum of the sources' amounts, added as they are read (`Term.sum` of them: the same
        // additions in the same order, nil on any overflow), with no array of terms per line.
        for i in two.rows.indices where two.rows[i].side == .expenditure {
            guard let code = classes[i], !skipping.contains(where: { printsMoney(x, i, $0) }) else { continue }
            let q = Code(code)
            var sum: Term? = Term.zero
            for k in sources.indices {
                if let v = ctx.functionAmount(sources[k], code: q, column: positions[k]) { sum = sum?.plus(v) }
            }
            guard let expected = sum else { continue }
            let found = x.cell(i, position).flatMap { Term($0) } ?? .blank
            if expected.amount.isZero && found.amount.isZero { continue }
            // (What `ctx.compare` reports nothing for is not passed to it.)
            if expected.agreement(with: found) != .exact {
                reportClassLine(ctx, x, i, column: column, code: code, q, sources, positions, expected, found)
            }
        }
    }

    /// The finding of line `i` of two-sided table `x` disagreeing with the sum of its class `q`
    /// in the `sources`: texts and places built here, out of the loop; the sources that give the
    /// line an amount are found again (no list of them kept per line).
    @inline(never)
    static func reportClassLine(_ ctx: Context, _ x: TableIndex, _ i: Int, column: String, code: String, _ q: Code,
                                _ sources: [TableIndex], _ positions: [Int?], _ expected: Term, _ found: Term) {
        let two = x.table
        func names() -> String { sources.map(\.table.title).joined(separator: " + ") }
        func refs() -> [FindingRef] {
            var out = [ctx.ref(two, two.rows[i], column)]
            for k in sources.indices where ctx.functionAmount(sources[k], code: q, column: positions[k]) != nil {
                out.append(ctx.ref(sources[k].table, sources[k].row(code: code), Column.total))
            }
            return out
        }
        ctx.compare("X-FUNC", expected: expected, found: found,
                    whatZH: "\(two.title)「\(x.labels[i])」(\(column)) 应等于 \(names()) 中功能科目 \(code) 的金额",
                    whatEN: "\(two.title) line “\(x.labels[i])” (\(column)) must equal function class \(code) in \(names())",
                    refs: refs())
    }

    // MARK: X-BASIC

    static func basic(_ ctx: Context) {
        // Rows by position and cells by column name in the first tables' indexes.
        let be = ctx.firstIndex(.basicEconomic)
        let pe = ctx.firstIndex(.projectEconomic)
        let ge = ctx.firstIndex(.generalEconomic)
        let general = ctx.firstIndex(.generalFunction)
        let expenditure = ctx.firstIndex(.expenditure)
        let beTotal = be?.totalIndex
        func check(_ x: TableIndex?, _ r: Int?, _ col: String, against: (TableIndex?, Int?, String), zh: String, en: String) {
            guard let x, let r, let ax = against.0, let ar = against.1,
                  let v = x.value(r, col), let w = ax.value(ar, against.2),
                  let found = Term(v), let expected = Term(w) else { return }
            ctx.compare("X-BASIC", expected: expected, found: found, whatZH: zh, whatEN: en,
                        refs: [ctx.ref(x, r, col), ctx.ref(ax, ar, against.2)])
        }
        check(general, general?.totalIndex, Column.basic, against: (be, beTotal, Column.total),
              zh: "一般公共预算支出表 基本支出 应等于 一般公共预算基本支出表 合计", en: "general-budget basic spending = basic economic table total")
        if general == nil || sameTotal(expenditure, Column.total, general, Column.total) {
            check(expenditure, expenditure?.totalIndex, Column.basic, against: (be, beTotal, Column.total),
                  zh: "支出总表 基本支出 应等于 一般公共预算基本支出表 合计", en: "expenditure basic spending = basic economic table total")
        }
        check(general, general?.totalIndex, Column.project, against: (pe, pe?.totalIndex, Column.total),
              zh: "一般公共预算支出表 项目支出 应等于 一般公共预算项目支出表 合计", en: "general-budget project spending = project economic table total")
        if let bc = ctx.firstIndex(.basicByCategory), let r = bc.totalIndex {
            let col = bc.value(r, Column.generalBudget) != nil ? Column.generalBudget : Column.total
            check(bc, r, col, against: (be, beTotal, Column.total),
                  zh: "基本支出预算表 合计 应等于 一般公共预算基本支出表 合计", en: "basic-by-category total = basic economic table total")
        }
        // general_economic class rows = basic + project parts, where the project part is known.
        if let ge, let be {
            let generalProject = general?.value(general?.totalIndex, Column.project)
            let generalBasic = general?.value(general?.totalIndex, Column.basic)
            let projectKnown = pe != nil || (generalProject?.isZero ?? false)
                || (general != nil && generalProject == nil && generalBasic != nil)
            guard projectKnown else { return }
            let rows = ge.table.rows
            // The three tables' 合计 positions, looked up once (not three name lookups per row).
            let gc = ge.column(Column.total), bc = be.column(Column.total), pc = pe?.column(Column.total)
            for i in rows.indices {
                guard let code = rows[i].code else { continue }
                // A numeric code is found by the number and length the index read (`rowIndex` of
                // its `Code`, without reading its text again).
                let number = ge.codeNumber(i)
                let b: Int?, p: Int?
                if number >= 0 {
                    let key = number << 5 | Int64(ge.codeLength(i))
                    b = be.rowIndex(numericKey: key)
                    p = pe?.rowIndex(numericKey: key)
                } else {
                    let q = Code(code)
                    b = be.rowIndex(q)
                    p = pe?.rowIndex(q)
                }
                let own = gc.flatMap { ge.cell(i, $0) }
                if b == nil && p == nil && own == nil { continue }
                // The two parts' terms added as read (`Term.sum` of them, with no array per row).
                var total: Term? = Term.zero
                if let b, let bc, let v = be.cell(b, bc), let t = Term(v) { total = total?.plus(t) }
                if let pe, let p, let pc, let v = pe.cell(p, pc), let t = Term(v) { total = total?.plus(t) }
                guard let sum = total else { continue }
                let found = own.flatMap { Term($0) } ?? .blank
                if sum.amount.isZero && found.amount.isZero { continue }
                // (What `ctx.compare` reports nothing for is not passed to it.)
                if sum.agreement(with: found) != .exact {
                    reportEconomicItem(ctx, code: code, sum, found, ge, i, be, b, pe, p)
                }
            }
        }
    }

    /// The finding of economic item `code` (row `i` of the general economic table) disagreeing
    /// with its basic (`b`) and project (`p`) rows' sum: texts and places made out of the loop.
    @inline(never)
    static func reportEconomicItem(_ ctx: Context, code: String, _ sum: Term, _ found: Term, _ ge: TableIndex, _ i: Int,
                                   _ be: TableIndex, _ b: Int?, _ pe: TableIndex?, _ p: Int?) {
        ctx.compare("X-BASIC", expected: sum, found: found,
                    whatZH: "经济分类 \(code)：一般公共预算支出经济分类表 应等于 基本支出 + 项目支出",
                    whatEN: "economic item \(code): general economic table = basic + project",
                    refs: [ctx.ref(ge, i, Column.total)] + [b.map { ctx.ref(be, $0, Column.total) }, p.flatMap { r in pe.map { ctx.ref($0, r, Column.total) } }].compactMap { $0 })
    }

    // MARK: X-ECON-FUNC

    static func econFunc(_ ctx: Context) {
        // Rows by position and cells by column position in the tables' indexes.
        guard let xb = ctx.firstIndex(.basicEconomic), hasCode(xb, length: 5) else { return }
        guard let xf = ctx.firstIndex(.generalFunction) ?? ctx.firstIndex(.expenditure), hasCode(xf, length: 7) else { return }
        let hasBasic = xf.column(Column.basic).map { b in (0..<xf.rowCount).contains { xf.printed($0, b) } } ?? false
        let col = hasBasic ? Column.basic : Column.total
        let econTotal = xb.column(Column.total), functionColumn = xf.column(col)
        // The sum of the cells of the rows with these codes, added as they are read (`Term.sum`
        // of their terms: the same additions in the same order, nil on any overflow), with no
        // array of rows or terms: the rows are listed again only for a finding.
        func sum(_ x: TableIndex, _ codes: [Code], _ column: Int?) -> Term? {
            var s: Term? = Term.zero
            for q in codes {
                if let r = x.rowIndex(q), let c = column, let v = x.cell(r, c), let t = Term(v) { s = s?.plus(t) }
            }
            return s
        }
        for k in econFuncCodes.indices {
            let codes = econFuncCodes[k]
            guard let e = sum(xb, codes.econ, econTotal), let f = sum(xf, codes.function, functionColumn) else { continue }
            if e.amount.isZero && f.amount.isZero { continue }
            // (What `ctx.compare` reports nothing for is not passed to it.)
            if e.agreement(with: f) != .exact { reportEconFunc(ctx, k, e, f, xb, xf, col) }
        }
    }

    /// The finding of pair `k` of `RuleTables.econFuncPairs` disagreeing: texts made, and the rows
    /// listed again, out of the loop.
    @inline(never)
    static func reportEconFunc(_ ctx: Context, _ k: Int, _ e: Term, _ f: Term, _ xb: TableIndex, _ xf: TableIndex, _ col: String) {
        let pair = RuleTables.econFuncPairs[k]
        let codes = econFuncCodes[k]
        let text = econFuncTexts[k]
        // The places in one array made at its size (no arrays joined).
        var refs: [FindingRef] = []
        refs.reserveCapacity(codes.econ.count + codes.function.count)
        for q in codes.econ { if let r = xb.rowIndex(q) { refs.append(ctx.ref(xb, r, Column.total)) } }
        let econRefs = refs.count
        for q in codes.function { if let r = xf.rowIndex(q) { refs.append(ctx.ref(xf, r, col)) } }
        if refs.count == econRefs {
            refs.append(FindingRef(table: xf.table.kind.rawValue, code: text.function, column: col, line: xf.table.line))
        }
        // The words written straight into the message (no String interpolated and joined).
        ctx.compare("X-ECON-FUNC", expected: e, found: f, severity: .warning,
                    what: { m, english in
                        if english {
                            m.add(pair.whatEN); m.add(": economic "); m.add(text.econ)
                            m.add(" should equal basic spending of function "); m.add(text.function)
                        } else {
                            m.add(pair.what); m.add("：经济分类 "); m.add(text.econ)
                            m.add(" 应与功能科目 "); m.add(text.function); m.add(" 的基本支出一致")
                        }
                    },
                    refs: refs,
                    adviceZH: "请核对功能科目的归类是否正确。", adviceEN: "Check the function classification of these items.")
    }

    /// Each pair's economic codes joined by + and function codes joined by /, as its findings
    /// print them, made once.
    static let econFuncTexts: [(econ: String, function: String)] = RuleTables.econFuncPairs.map {
        ($0.econ.joined(separator: "+"), $0.function.joined(separator: "/"))
    }

    /// Whether some row of the table carries a code of `length` characters: read from the index
    /// for numeric codes (their length is their digits'), counted only for other codes (no
    /// row copied, no characters counted for a numeric code).
    static func hasCode(_ x: TableIndex, length: Int) -> Bool {
        for i in 0..<x.rowCount {
            if x.codeNumber(i) >= 0 {
                if x.codeLength(i) == length { return true }
            } else if (x.table.rows[i].code?.count ?? 0) == length {
                return true
            }
        }
        return false
    }

    /// The codes of `RuleTables.econFuncPairs`, read once.
    static let econFuncCodes: [(econ: [Code], function: [Code])] = RuleTables.econFuncPairs.map {
        ($0.econ.map(Code.init), $0.function.map(Code.init))
    }

    // MARK: X-3PUB (economic counterparts; the table's own sum is in TableRules)

    /// `RuleTables.threePublicEcon`'s items normalised (`ctx.norm` of a label depends on the label
    /// alone) and its economic codes read, once.
    static let threePublicEconItems: [String] = {
        let norm = LabelNormalizer()
        return RuleTables.threePublicEcon.map { norm.norm($0.item) }
    }()
    static let threePublicEconCodes: [Code] = RuleTables.threePublicEcon.map { Code($0.econ) }

    static func threePublic(_ ctx: Context) {
        guard let be = ctx.firstIndex(.basicEconomic) else { return }
        guard let tp = ctx.firstAnyIndex(.threePublic) else { return }
        let pe = ctx.firstIndex(.projectEconomic)
        let empty = tp.table.empty
        // The three tables' 合计 positions, looked up once (not by name for every item); the
        // items' words and codes are read from the table only for a finding (no copy per item).
        let bc = be.column(Column.total), pc = pe?.column(Column.total), tc = tp.column(Column.total)
        let codes = threePublicEconCodes, items = threePublicEconItems
        for k in codes.indices {
            let q = codes[k]
            let econRow = be.rowIndex(q)
            let projRow = pe.flatMap { $0.rowIndex(q) }
            let itemRow = empty ? nil : tp.rowIndex(normalized: items[k])
            if !empty && itemRow == nil { continue }
            // The basic and project items' terms added as read (`Term.sum` of them: the same
            // additions in the same order, nil on overflow), with no array of them.
            var sum: Term? = Term.zero
            if let econRow, let bc, let v = be.cell(econRow, bc), let t = Term(v) { sum = sum?.plus(t) }
            if let pe, let projRow, let pc, let v = pe.cell(projRow, pc), let t = Term(v) { sum = sum?.plus(t) }
            guard let e = sum else { continue }
            let f = itemRow.flatMap { r in tc.flatMap { tp.cell(r, $0) } }.flatMap { Term($0) } ?? .blank
            if e.amount.isZero && f.amount.isZero { continue }
            // (What `ctx.compare` reports nothing for is not passed to it.)
            if e.agreement(with: f) != .exact {
                let (item, code) = RuleTables.threePublicEcon[k]
                reportThreePublic(ctx, item: item, code: code, e, f, tp, itemRow, be, econRow, pe, projRow)
            }
        }
    }

    /// The finding of 三公 item `item` disagreeing with economic item `code`: texts and places
    /// made out of the loop (nearly every item agrees).
    @inline(never)
    static func reportThreePublic(_ ctx: Context, item: String, code: String, _ e: Term, _ f: Term, _ tp: TableIndex, _ itemRow: Int?,
                                  _ be: TableIndex, _ econRow: Int?, _ pe: TableIndex?, _ projRow: Int?) {
        // A 三公 amount above the basic economic item may be project-funded when no project
        // economic table shows it: a warning, not an error.
        let severity: Severity = (pe == nil && e.amount < f.amount) ? .warning : .error
        var refs: [FindingRef] = [itemRow.map { ctx.ref(tp, $0, Column.total) } ?? FindingRef(table: tp.table.kind.rawValue, label: item, column: Column.total, line: tp.table.line)]
        refs += [econRow.map { ctx.ref(be, $0, Column.total) }, projRow.flatMap { r in pe.map { ctx.ref($0, r, Column.total) } }].compactMap { $0 }
        ctx.compare("X-3PUB", expected: e, found: f, severity: severity,
                    whatZH: "三公经费「\(item)」应等于经济分类 \(code) 的金额",
                    whatEN: "three-public item “\(item)” should equal economic item \(code)",
                    refs: refs)
    }

    // MARK: X-PROJ

    static func projects(_ ctx: Context) {
        // The projects with a total, read in place (a `filter` copied every project, field by
        // field): their count, and the sum of their totals' terms added as read (`Term.sum` of
        // them: the same additions in the same order, nil on any overflow). Their names and
        // lines are read again only for a finding.
        let all = ctx.doc.projects
        var count = 0
        var total: Term? = Term.zero
        for i in all.indices {
            guard let v = all[i].total else { continue }
            count += 1
            if let t = Term(v) { total = total?.plus(t) }
        }
        guard count > 0 else { return }
        func refs() -> [FindingRef] {
            var out: [FindingRef] = []
            out.reserveCapacity(count)
            for i in all.indices where all[i].total != nil {
                if let line = all[i].line { out.append(FindingRef(label: all[i].name, line: line)) }
            }
            return out
        }
        narrativeProjects(ctx, count: count, sum: total, refs: refs)
        guard let x = ctx.firstIndex(.expenditure) ?? ctx.firstIndex(.generalFunction), let row = x.totalIndex else { return }
        let spent = x.value(row, Column.project).flatMap { Term($0) } ?? .blank
        guard let sum = total else { return }
        func allRefs() -> [FindingRef] { [ctx.ref(x, row, Column.project)] + refs() }
        switch sum.agreement(with: spent) {
        case .exact:
            return
        case .rounding:
            ctx.compare("X-PROJ", expected: spent, found: sum, whatZH: "项目金额合计应等于项目支出", whatEN: "Σ project amounts = project spending", refs: allRefs())
        case .mismatch:
            let exp = x.table
            if sum.amount < spent.amount {
                let gap = spent.amount.subtracting(sum.amount)?.printed ?? "?"
                ctx.add("X-PROJ", .warning,
                        zh: "已公开的 \(count) 个项目金额合计 \(sum.amount.printed)，低于\(exp.title)项目支出 \(spent.amount.printed)，有 \(gap) \(ctx.doc.currencyUnit ?? "万元")项目支出未公开绩效目标（覆盖缺口）。请补充相应项目或绩效目标表。",
                        en: "The \(count) disclosed projects total \(sum.amount.printed), below project spending of \(spent.amount.printed) in \(exp.title): \(gap) of project spending has no disclosed project or performance target (coverage gap).",
                        refs: allRefs(), expected: spent.amount.printed, found: sum.amount.printed)
            } else {
                let over = sum.amount.subtracting(spent.amount)?.printed ?? "?"
                ctx.add("X-PROJ", .error,
                        zh: "项目金额合计 \(sum.amount.printed) 超过\(exp.title)项目支出 \(spent.amount.printed)（多 \(over)）。请核对项目金额。",
                        en: "Projects total \(sum.amount.printed), more than project spending of \(spent.amount.printed) in \(exp.title) (excess \(over)). Check the project amounts.",
                        refs: allRefs(), expected: spent.amount.printed, found: sum.amount.printed)
            }
        }
    }

    /// Which project key of the narrative `key` is: 1 for `projects.total`, 2 for `projects.count`,
    /// 0 for any other (what `key == "projects.total"` and `key == "projects.count"` answer). The
    /// two keys have one length in UTF-8 bytes: a key of another length is neither, seen without
    /// comparing Strings (two calls into the String comparison per fact otherwise; a String's
    /// length is stored, not counted). A String equal to either is these very bytes: none of their
    /// ASCII characters is the canonical decomposition of another scalar.
    static func projectKey(_ key: String) -> Int {
        let total = "projects.total", count = "projects.count"
        if total.utf8.count == count.utf8.count && key.utf8.count != total.utf8.count { return 0 }
        return key == total ? 1 : key == count ? 2 : 0
    }

    /// The narrative's own project count and total (项目 N 个, 共 X 万元) against the projects the
    /// document discloses: fewer disclosed than announced is a coverage gap (warning), more an error.
    /// `count` and `sum`: the projects with a total, and the sum of their totals' terms;
    /// `projectRefs`: their places, made only for a finding.
    static func narrativeProjects(_ ctx: Context, count: Int, sum total: Term?, refs projectRefs: () -> [FindingRef]) {
        guard let sum = total else { return }
        let n = Amount(mantissa: Int64(count), decimals: 0)
        // By position, the key compared in place: a `for f in facts` loop copied every fact
        // (a retain and a release per field) before its key was read.
        let facts = ctx.doc.facts
        for i in facts.indices {
            let which = projectKey(facts[i].key)
            if which == 0 { continue }
            let f = facts[i]
            let isCount = which == 2
            let disclosed = isCount ? Term(amount: n, interval: Interval(exact: n) ?? .zero) : sum
            guard let stated = isCount ? Interval(exact: f.value).map({ Term(amount: f.value, interval: $0) }) : ctx.narrative(f.value) else { continue }
            let agreement = disclosed.agreement(with: stated)
            if agreement == .exact { continue }
            let refs = [FindingRef(line: f.line)] + projectRefs()
            if agreement == .rounding {
                ctx.compare("X-PROJ", expected: stated, found: disclosed, whatZH: "第 \(f.line) 行所述项目金额合计应等于已公开项目之和",
                            whatEN: "the project total stated on line \(f.line) = Σ disclosed projects", refs: refs)
                continue
            }
            let what = isCount ? ctx.text("项目个数", "project count") : ctx.text("项目金额合计", "project total")
            if disclosed.amount < stated.amount {
                ctx.add("X-PROJ", .warning,
                        zh: "第 \(f.line) 行说明的\(what)为 \(f.value.printed)，但文件只公开了 \(count) 个项目、合计 \(sum.amount.printed)（覆盖缺口）。请补充缺少的项目绩效目标表。",
                        en: "Line \(f.line) states a \(what) of \(f.value.printed), but the document discloses only \(count) project(s) totalling \(sum.amount.printed) (coverage gap).",
                        refs: refs, expected: f.value.printed, found: disclosed.amount.printed)
            } else {
                ctx.add("X-PROJ", .error,
                        zh: "第 \(f.line) 行说明的\(what)为 \(f.value.printed)，少于已公开的项目（\(count) 个、合计 \(sum.amount.printed)）。请核对说明或项目表。",
                        en: "Line \(f.line) states a \(what) of \(f.value.printed), less than the disclosed projects (\(count), totalling \(sum.amount.printed)).",
                        refs: refs, expected: f.value.printed, found: disclosed.amount.printed)
            }
        }
    }
}
