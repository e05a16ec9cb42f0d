import GoujiModel

/// Rules on the narrative: T-AMOUNT (text vs tables), T-CHANGE and T-SHARE (text vs text),
/// T-ADMIN (机关运行经费 vs 公用经费).
enum TextRules {
    static func run(_ ctx: Context) {
        // Sorted by line, stably: as positions (each Fact is copied once, not at every move of
        // the sort), and not at all when the facts already are in line order (as parsed).
        let all = ctx.doc.facts
        var inOrder = true
        for i in all.indices.dropFirst() where all[i].line < all[i - 1].line {
            inOrder = false
            break
        }
        let facts = inOrder ? all : all.indices.sorted { a, b in
            all[a].line == all[b].line ? a < b : all[a].line < all[b].line
        }.map { all[$0] }
        // Each fact's key as the number of a key the rules name (one lookup per fact; the rules
        // then compare numbers, not text).
        // (By position: a `map` over the facts copies each one.)
        var ids: [Int] = []
        ids.reserveCapacity(facts.count)
        for i in facts.indices { ids.append(id(facts[i].key)) }
        if !facts.isEmpty { amounts(ctx, facts, ids) }
        percentChanges(ctx, facts)
        compositions(ctx, facts, ids)
        groups(ctx, facts, ids)
        shares(ctx, facts, ids)
        admin(ctx, facts, ids)
    }

    /// The fact keys the rules name, numbered: `id(k) == id(k2)` exactly when `k == k2` for a key
    /// in the list (a Dictionary compares keys as String `==` does); -1 for any other key.
    static let namedKeys: [String: Int] = {
        var keys = [Key.incomeTotal, Key.expenditureTotal, Key.fiscalTotal, Key.expenditureBasic, Key.expenditureProject,
                    Key.basicPersonnel, Key.basicPublic, Key.projectsTotal, Key.projectsCount, Key.adminCost]
        for (total, parts) in RuleTables.factCompositions { keys += [total] + parts }
        keys += RuleTables.changeTotals
        var out: [String: Int] = [:]
        for k in keys where out[k] == nil { out[k] = out.count }
        return out
    }()
    /// Looked up on bytes where that is exact (see `LabelTable`): hashing a key costs more.
    static let namedKeyTable = LabelTable(namedKeys)
    static func id(_ key: String) -> Int { namedKeyTable[key] ?? -1 }

    /// Keys `candidates` and the rules below name.
    enum Key {
        static let incomeTotal = "income.total", expenditureTotal = "expenditure.total", fiscalTotal = "fiscal.total"
        static let expenditureBasic = "expenditure.basic", expenditureProject = "expenditure.project"
        static let basicPersonnel = "basic.personnel", basicPublic = "basic.public"
        static let projectsTotal = "projects.total", projectsCount = "projects.count", adminCost = "admin_cost"
    }
    /// Their numbers.
    struct KeyIDs {
        let incomeTotal, expenditureTotal, fiscalTotal, expenditureBasic, expenditureProject: Int
        let basicPersonnel, basicPublic, projectsTotal, projectsCount, adminCost: Int
    }
    static let keyIDs = KeyIDs(incomeTotal: id(Key.incomeTotal), expenditureTotal: id(Key.expenditureTotal),
                               fiscalTotal: id(Key.fiscalTotal), expenditureBasic: id(Key.expenditureBasic),
                               expenditureProject: id(Key.expenditureProject), basicPersonnel: id(Key.basicPersonnel),
                               basicPublic: id(Key.basicPublic), projectsTotal: id(Key.projectsTotal),
                               projectsCount: id(Key.projectsCount), adminCost: id(Key.adminCost))

    // MARK: T-AMOUNT

    /// A column `candidates` reads: its name (for a finding's place) and its `ColumnID`, worked
    /// out once (`TableIndex.column(_:)` finds the id from the name at every call, for every
    /// fact and table).
    struct KnownColumn {
        let name: String
        let id: Int?
        init(_ name: String) {
            self.name = name
            id = ColumnID.of(name)
        }
    }
    enum Columns {
        static let total = KnownColumn(Column.total), fiscal = KnownColumn(Column.fiscal)
        static let basic = KnownColumn(Column.basic), project = KnownColumn(Column.project)
        static let personnel = KnownColumn(Column.personnel), publicFunds = KnownColumn(Column.publicFunds)
    }
    /// `RuleTables.threePublicFactKeys`, looked up on bytes where that is exact (see `LabelTable`).
    static let threePublicKeyTable = LabelTable(RuleTables.threePublicFactKeys)

    struct Candidate {
        let term: Term
        /// The candidate's place and name, for a finding: kept as their parts, put together only
        /// for one (closures built per candidate cost more than the check itself).
        let place: Place
        let naming: Naming

        /// Tables by their index and rows by position: a candidate holds no copy of a table or
        /// a row (most candidates agree and are dropped unread).
        enum Place {
            /// `ctx.ref(x.table, x.table.rows[row], column)`.
            case row(TableIndex, Int, String)
            /// `.row`, or the table itself when it prints no such row.
            case indexed(TableIndex, Int?, String)
            case fixed(FindingRef)
        }

        enum Naming {
            /// "title code-or-label column" of the place's cell.
            case cell
            /// "title suffix" of the place's table.
            case titled(String)
            /// 项目「name」.
            case project(String)
            case plain(String)
        }

        func ref(_ ctx: Context) -> FindingRef {
            switch place {
            case .row(let x, let i, let col): ctx.ref(x, i, col)
            case .indexed(let x, let i, let col): i.map { ctx.ref(x, $0, col) } ?? ctx.ref(x.table, nil, col)
            case .fixed(let r): r
            }
        }

        func name(_ ctx: Context) -> String {
            switch (naming, place) {
            case (.cell, .row(let x, let i, let col)):
                "\(x.table.title) \(x.table.rows[i].code ?? x.label(i)) \(col)"
            case (.cell, .indexed(let x, let i, let col)):
                "\(x.table.title) \(i.map { x.table.rows[$0].code ?? x.label($0) } ?? "") \(col)"
            case (.titled(let suffix), .indexed(let x, _, _)):
                "\(x.table.title) \(suffix)"
            case (.titled(let suffix), .row(let x, _, _)):
                "\(x.table.title) \(suffix)"
            case (.project(let name), _):
                "项目「\(name)」"
            case (.plain(let text), _):
                text
            case (.cell, .fixed), (.titled, .fixed):
                ""
            }
        }
    }

    /// The table values a fact key may restate. `complete` is false when the fact may restate a
    /// figure no table prints (an economic class of all spending when only the basic part is tabled).
    /// What `candidates` reads for every `project.` fact, worked out once per document (on the
    /// first such fact): each project's normalised name (empty names left out), as a `Word`.
    final class Projects {
        private let ctx: Context
        init(_ ctx: Context) { self.ctx = ctx }

        lazy var names: [(project: Int, name: FastText.Word)] = {
            var names: [(project: Int, name: FastText.Word)] = []
            for (i, p) in ctx.doc.projects.enumerated() {
                let n = ctx.norm(p.name)
                if !n.isEmpty { names.append((i, FastText.Word(n))) }
            }
            return names
        }()
    }

    /// Fills `out` (emptied first, its storage kept: `amounts` passes one buffer for every fact,
    /// not a new array per fact regrown per candidate) and returns whether the list is complete.
    /// The fact is given by its key and part (what the candidates depend on): its other fields
    /// are not copied for the facts that agree.
    static func candidates(_ ctx: Context, key: String, part: String?, id keyID: Int, projects: Projects, into out: inout [Candidate]) -> Bool {
        // (One by one: a list holds a few candidates, and `removeAll(keepingCapacity:)` costs
        // far more than that through its general range replacement.)
        while !out.isEmpty { out.removeLast() }
        // The cell in column `col` of the row at position `row` of the first table of `kind`
        // (a two-sided table's line from `summarySides`/`fiscalSides`, or a row found by label).
        func line(_ kind: TableKind, _ row: Int?, _ col: KnownColumn) {
            guard let x = ctx.firstIndex(kind), let r = row, let c = x.column(col.name, id: col.id),
                  let v = x.cell(r, c), let term = Term(v) else { return }
            out.append(Candidate(term: term, place: .row(x, r, col.name), naming: .cell))
        }
        // `cell(kind, ctx.totalRow(ctx.first(kind)), col)`, read from the index (no table or
        // row copied, no hashing).
        func total(_ kind: TableKind, _ col: KnownColumn) {
            guard let x = ctx.firstIndex(kind), let r = x.totalIndex, let c = x.column(col.name, id: col.id),
                  let v = x.cell(r, c), let term = Term(v) else { return }
            out.append(Candidate(term: term, place: .row(x, r, col.name), naming: .cell))
        }
        // `cell(kind, ctx.first(kind).flatMap { ctx.row($0, code: code.text) }, col)`, on the index.
        func coded(_ kind: TableKind, _ code: Code, _ col: KnownColumn) {
            guard let x = ctx.firstIndex(kind), let r = x.rowIndex(code), let c = x.column(col.name, id: col.id),
                  let v = x.cell(r, c), let term = Term(v) else { return }
            out.append(Candidate(term: term, place: .row(x, r, col.name), naming: .cell))
        }
        let k = keyIDs
        switch keyID {
        case k.incomeTotal:
            // (The two-sided tables' lines are looked up for the keys that read them only.)
            let summary = ctx.summarySides
            total(.income, Columns.total)
            line(.summary, summary?.incomeSubtotal, Columns.total)
            line(.summary, summary?.incomeGrand, Columns.total)
        case k.expenditureTotal:
            let summary = ctx.summarySides
            total(.expenditure, Columns.total)
            line(.summary, summary?.expenditureSubtotal, Columns.total)
            line(.summary, summary?.expenditureGrand, Columns.total)
        case k.fiscalTotal:
            let summary = ctx.summarySides, fiscal = ctx.fiscalSides
            line(.summary, summary?.fiscalParent, Columns.total)
            line(.fiscalSummary, fiscal?.fiscalParent, Columns.total)
            line(.fiscalSummary, fiscal?.expenditureSubtotal, Columns.total)
            line(.fiscalSummary, fiscal?.incomeGrand, Columns.total)
            total(.income, Columns.fiscal)
            if out.isEmpty { total(.generalFunction, Columns.total) }
        case k.expenditureBasic:
            total(.expenditure, Columns.basic)
            total(.generalFunction, Columns.basic)
        case k.expenditureProject:
            total(.expenditure, Columns.project)
            total(.generalFunction, Columns.project)
        case k.basicPersonnel, k.basicPublic:
            let col = keyID == k.basicPersonnel ? Columns.personnel : Columns.publicFunds
            total(.basicEconomic, col)
            if out.isEmpty, let be = ctx.firstIndex(.basicEconomic) {
                let codes = keyID == k.basicPersonnel ? ["301", "303"] : ["302", "310"]
                let rows = codes.compactMap { be.rowIndex(Code($0)) }
                if let sum = Term.sum(rows.compactMap { be.value($0, Column.total).flatMap { Term($0) } }), let first = rows.first {
                    out.append(Candidate(term: sum, place: .row(be, first, Column.total), naming: .titled(codes.joined(separator: "+"))))
                }
            }
        case k.projectsTotal, k.projectsCount:
            // The narrative's project count and sum against the disclosed projects: X-PROJ.
            return true
        default:
            // The key's first byte picks the one family it can be of (each prefix test reads
            // the key's bytes).
            let lead = key.utf8.first ?? 0
            if lead == UInt8(ascii: "e"), FastText.starts(key, with: "econ.") {
                let code = FastText.after(key, prefix: "econ.")
                let q = Code(code)
                switch part {
                case "basic":
                    coded(.basicEconomic, q, Columns.total)
                    return true
                case "project":
                    coded(.projectEconomic, q, Columns.total)
                    return true
                default:
                    coded(.generalEconomic, q, Columns.total)
                    coded(.basicEconomic, q, Columns.total)
                    coded(.projectEconomic, q, Columns.total)
                    let b = ctx.firstIndex(.basicEconomic).flatMap { $0.value($0.rowIndex(q), Column.total) }
                    let p = ctx.firstIndex(.projectEconomic).flatMap { $0.value($0.rowIndex(q), Column.total) }
                    if let b, let p, let sum = Term.sum([Term(b), Term(p)].compactMap { $0 }) {
                        out.append(Candidate(term: sum, place: .fixed(FindingRef(table: TableKind.basicEconomic.rawValue, code: code, column: Column.total)), naming: .plain("基本 + 项目 \(code)")))
                    }
                    // Without the all-spending economic table, a figure of all spending cannot be
                    // told from the basic part unless there is no project spending.
                    let spending = ctx.firstIndex(.expenditure) ?? ctx.firstIndex(.generalFunction)
                    let noProject = spending.flatMap { $0.value($0.totalIndex, Column.project) }.map(\.isZero) ?? false
                    let complete = ctx.firstIndex(.generalEconomic) != nil || ctx.firstIndex(.projectEconomic) != nil || noProject
                    return complete
                }
            }
            if lead == UInt8(ascii: "f"), FastText.starts(key, with: "func.") {
                let what = FastText.after(key, prefix: "func.")
                let isCode = FastText.isDigits(what)
                // On the first tables' indexes (`ctx.first(kind)` copies the table; its index is
                // what `functionAmount` and `row` look up anyway).
                if isCode {
                    let q = Code(what)
                    for kind in [TableKind.generalFunction, .expenditure, .income] {
                        guard let x = ctx.firstIndex(kind),
                              let term = ctx.functionAmount(x, code: q, column: x.column(Column.total, id: Columns.total.id)) else { continue }
                        out.append(Candidate(term: term, place: .indexed(x, x.rowIndex(q), Column.total), naming: .titled(what)))
                    }
                } else {
                    let label = ctx.norm(what)
                    for kind in [TableKind.generalFunction, .expenditure, .income] {
                        guard let x = ctx.firstIndex(kind), let r = x.rowIndex(normalized: label) else { continue }
                        line(kind, r, Columns.total)
                    }
                    if let code = RuleTables.functionClassTable[label] {
                        let q = Code(code)
                        for kind in [TableKind.generalFunction, .expenditure] {
                            guard let x = ctx.firstIndex(kind), x.rowIndex(normalized: label) == nil,
                                  let term = ctx.functionAmount(x, code: q, column: x.column(Column.total, id: Columns.total.id)) else { continue }
                            out.append(Candidate(term: term, place: .indexed(x, x.rowIndex(q), Column.total), naming: .titled(code)))
                        }
                    }
                }
            } else if lead == UInt8(ascii: "t"), FastText.starts(key, with: "three_public."), let label = threePublicKeyTable[key] {
                if let x = ctx.firstAnyIndex(.threePublic) {
                    let t = x.table
                    func row(_ label: String) -> Int? { x.rowIndex(normalized: ctx.norm(label)) }
                    if t.empty {
                        out.append(Candidate(term: .blank, place: .fixed(FindingRef(table: t.kind.rawValue, label: label, line: t.line)), naming: .plain("\(t.title)（空表）")))
                    } else if let r = row(label) {
                        let term = x.value(r, Column.total).flatMap { Term($0) } ?? .blank
                        out.append(Candidate(term: term, place: .row(x, r, Column.total), naming: .titled(label)))
                        // A 合计 that includes 会议费 and 培训费 printed beside the items: the 三公
                        // total the narrative states is the items' sum.
                        if label == ThreePublicItem.total, ThreePublicItem.extras.contains(where: { row($0) != nil }) {
                            let items = RuleTables.threePublicParts[0].parts.compactMap(row)
                            if let sum = Term.sum(items.compactMap { x.value($0, Column.total).flatMap { Term($0) } }) {
                                out.append(Candidate(term: sum, place: .row(x, r, Column.total), naming: .titled(label)))
                            }
                        }
                    } else if label == ThreePublicItem.vehicle {
                        let parts = [ThreePublicItem.vehiclePurchase, ThreePublicItem.vehicleOperation].compactMap(row)
                        if let first = parts.first, let sum = Term.sum(parts.map { x.value($0, Column.total).flatMap { Term($0) } ?? .blank }) {
                            out.append(Candidate(term: sum, place: .row(x, first, Column.total), naming: .titled(label)))
                        }
                    }
                }
            } else if lead == UInt8(ascii: "p"), FastText.starts(key, with: "project.") {
                let name = FastText.Word(ctx.norm(FastText.after(key, prefix: "project.")))
                // Names compared on bytes where both are simple text (no slow canonical compare).
                // Counted, not collected: only an unambiguous project is chosen (one exact match,
                // or a single containing match).
                var matches = 0, exact = 0
                var lastMatch = -1, lastExact = -1
                for (j, n) in projects.names {
                    if name == n {
                        matches += 1
                        exact += 1
                        lastMatch = j
                        lastExact = j
                    } else if n.includes(name.text) || name.text.includes(n.text) {
                        matches += 1
                        lastMatch = j
                    }
                }
                let chosen = exact == 1 ? lastExact : (matches == 1 ? lastMatch : -1)
                if chosen >= 0 {
                    let p = ctx.doc.projects[chosen]
                    if let v = p.total, let term = Term(v) {
                        out.append(Candidate(term: term, place: .fixed(FindingRef(label: p.name, line: p.line)), naming: .project(p.name)))
                    }
                }
            }
        }
        return true
    }

    static func amounts(_ ctx: Context, _ facts: [Fact], _ ids: [Int]) {
        let projects = Projects(ctx)
        let adminCost = keyIDs.adminCost
        var list: [Candidate] = []
        // By position: a Fact is copied only for a finding (its key and part are read in place).
        for i in facts.indices where ids[i] != adminCost {
            let complete = candidates(ctx, key: facts[i].key, part: facts[i].part, id: ids[i], projects: projects, into: &list)
            guard !list.isEmpty, let stated = ctx.narrative(facts[i].value) else { continue }
            // An exact candidate ends the fact; else the first within rounding (no array of outcomes).
            var exact = false
            var rounding: Int?
            for (k, c) in list.enumerated() {
                switch c.term.agreement(with: stated) {
                case .exact: exact = true
                case .rounding: if rounding == nil { rounding = k }
                case .mismatch: break
                }
                if exact { break }
            }
            if exact { continue }
            let f = facts[i]
            if let i = rounding {
                ctx.compare("T-AMOUNT", expected: list[i].term, found: stated,
                            whatZH: "第 \(f.line) 行说明中的 \(f.key) 应等于 \(list[i].name(ctx))",
                            whatEN: "narrative line \(f.line) \(f.key) should equal \(list[i].name(ctx))",
                            refs: [FindingRef(line: f.line), list[i].ref(ctx)])
                continue
            }
            guard complete else { continue }
            ctx.compare("T-AMOUNT", expected: list[0].term, found: stated,
                        whatZH: "第 \(f.line) 行说明中的 \(f.key) 应等于 \(list[0].name(ctx))",
                        whatEN: "narrative line \(f.line) \(f.key) should equal \(list[0].name(ctx))",
                        refs: [FindingRef(line: f.line)] + list.map { $0.ref(ctx) },
                        adviceZH: "请核对说明文字与表格金额。", adviceEN: "Check the narrative against the table.")
        }
    }

    // MARK: T-CHANGE

    /// A stated percentage change agrees with change ÷ (value − change).
    static func percentChanges(_ ctx: Context, _ facts: [Fact]) {
        // By position: only the facts with a change and a percentage are copied.
        for i in facts.indices where facts[i].change != nil && facts[i].pct != nil {
            let f = facts[i]
            guard let change = f.change, let pct = f.pct,
                  let v = ctx.narrative(f.value), let c = ctx.narrative(change),
                  let base = v.minus(c), let p = Interval(printed: pct) else { continue }
            guard base.interval.lower > 0 else { continue }
            guard let overlaps = Ratio.percentOverlaps(numerator: c.interval, denominator: base.interval, percent: p) else { continue }
            let strict = Ratio.percentStrict(numerator: change, denominator: base.amount, percent: p) ?? false
            if overlaps && strict { continue }
            // (The computed percentage and the place are written only for a finding.)
            let computed = Ratio.percent(change, of: base.amount, decimals: max(pct.decimals, 2))?.printed ?? "?"
            let refs = [FindingRef(line: f.line)]
            if overlaps {
                ctx.add("T-CHANGE", .info,
                        zh: "第 \(f.line) 行 \(f.key) 的增减幅度：\(change.printed) ÷ (\(f.value.printed) − \(change.printed)) = \(computed)%，与所述 \(pct.printed)% 的差异在四舍五入区间内（尾差）。",
                        en: "Line \(f.line) \(f.key): \(change.printed) ÷ (\(f.value.printed) − \(change.printed)) = \(computed)%, against the stated \(pct.printed)%; within rounding.",
                        refs: refs, expected: computed, found: pct.printed)
            } else {
                ctx.add("T-CHANGE", .error,
                        zh: "第 \(f.line) 行 \(f.key) 的增减幅度不符：\(change.printed) ÷ (\(f.value.printed) − \(change.printed)) = \(computed)%，而文字为 \(pct.printed)%。请核对增减额或百分比。",
                        en: "Line \(f.line) \(f.key): \(change.printed) ÷ (\(f.value.printed) − \(change.printed)) = \(computed)%, but the text states \(pct.printed)%. Check the change or the percentage.",
                        refs: refs, expected: computed, found: pct.printed)
            }
        }
    }

    /// The nearest fact with key number `key` after the first fact equal to `start`, before the
    /// next fact with key number `stop` (keys by `id`).
    static func following(_ facts: [Fact], _ ids: [Int], key: Int, from start: Fact, stop: Int) -> Fact? {
        // By position (no Fact copied while walking); the line (an integer) first: most facts
        // differ there, before any text.
        var i = 0
        while i < facts.count && !(facts[i].line == start.line && facts[i] == start) { i += 1 }
        i += 1
        while i < facts.count {
            if ids[i] == stop { return nil }
            if ids[i] == key { return facts[i] }
            i += 1
        }
        return nil
    }

    /// `RuleTables.factCompositions` by key numbers (looked up once, not per document).
    static let compositionIDs: [(total: Int, parts: [Int])] = RuleTables.factCompositions.map { (id($0.total), $0.parts.map(id)) }

    /// Totals and their components stated together: Σ component changes = total change.
    static func compositions(_ ctx: Context, _ facts: [Fact], _ ids: [Int]) {
        for (totalID, partIDs) in compositionIDs {
            for ti in facts.indices where ids[ti] == totalID {
                let t = facts[ti]
                guard let tc = t.change else { continue }
                var parts: [Fact] = []
                for k in partIDs {
                    // Same line first (a sentence may list the part before its total), then after.
                    let sameLine = facts.indices.first { facts[$0].line == t.line && ids[$0] == k && facts[$0] != t }.map { facts[$0] }
                    if let f = sameLine ?? following(facts, ids, key: k, from: t, stop: totalID) {
                        parts.append(f)
                    }
                }
                guard !parts.isEmpty, parts.allSatisfy({ $0.change != nil }) else { continue }
                // The parts must make up the whole: Σ values = total value.
                guard let tv = ctx.narrative(t.value),
                      let sumV = Term.sum(parts.compactMap { ctx.narrative($0.value) }),
                      sumV.agreement(with: tv) != .mismatch else { continue }
                guard let sumC = Term.sum(parts.compactMap { $0.change.flatMap { ctx.narrative($0) } }),
                      let total = ctx.narrative(tc) else { continue }
                // (The list is written only for a finding.)
                func list() -> String { parts.map { "\($0.key) \($0.change?.printed ?? "")" }.joined(separator: " + ") }
                ctx.compare("T-CHANGE", expected: total, found: sumC,
                            whatZH: "第 \(parts.map { String($0.line) }.joined(separator: "、")) 行各组成部分的增减额之和（\(list())）应等于第 \(t.line) 行 \(t.key) 的增减额",
                            whatEN: "the changes of the parts (\(list())) on lines \(parts.map { String($0.line) }.joined(separator: ", ")) should add up to the change of \(t.key) on line \(t.line)",
                            refs: [FindingRef(line: t.line)] + parts.map { FindingRef(line: $0.line) },
                            adviceZH: "请核对各项增减额与总额的增减额。", adviceEN: "Check the stated changes.")
            }
        }
    }

    /// Runs of function or economic items with changes: Σ changes = the change of the total they make up.
    static func groups(_ ctx: Context, _ facts: [Fact], _ ids: [Int]) {
        // Each fact's family once, as a number, read by position (no Fact copied, no family
        // String built): -1 none, 0 `func.`, 1 + k `econ.` with the k-th distinct `part` met
        // (`"econ." + part` are equal exactly when the parts are: the prefix ends in a starter).
        var parts: [String] = []
        var families = [Int](repeating: -1, count: facts.count)
        for i in facts.indices {
            // (The key's first byte first: most keys are of neither family.)
            let lead = facts[i].key.utf8.first ?? 0
            if lead == UInt8(ascii: "f"), FastText.starts(facts[i].key, with: "func.") {
                families[i] = 0
            } else if lead == UInt8(ascii: "e"), FastText.starts(facts[i].key, with: "econ.") {
                let part = facts[i].part ?? ""
                if let k = parts.firstIndex(of: part) {
                    families[i] = 1 + k
                } else {
                    parts.append(part)
                    families[i] = parts.count
                }
            }
        }
        // Runs as ranges of `facts` (maximal, of one family, 2+ facts).
        var runs: [Range<Int>] = []
        var start = -1
        for i in facts.indices {
            if families[i] >= 0, start >= 0, families[i - 1] == families[i] { continue }
            if start >= 0 && i - start >= 2 { runs.append(start..<i) }
            start = families[i] >= 0 ? i : -1
        }
        if start >= 0 && facts.count - start >= 2 { runs.append(start..<facts.count) }
        for range in runs {
            let run = facts[range]
            guard run.allSatisfy({ $0.change != nil }), let first = run.first else { continue }
            guard let sumV = Term.sum(run.compactMap { ctx.narrative($0.value) }),
                  let sumC = Term.sum(run.compactMap { $0.change.flatMap { ctx.narrative($0) } }) else { continue }
            let family = families[range.lowerBound]
            let part = family >= 1 ? parts[family - 1] : nil
            let allowed: [Int] = part == "basic" ? [keyIDs.expenditureBasic] : part == "project" ? [keyIDs.expenditureProject] : changeTotalIDs
            // The nearest preceding total whose value the run makes up (the last such fact).
            // (The facts read in place, the key number first: a `let f = facts[i]` copied every
            // fact passed, its strings retained and released.)
            let total = facts.indices.reversed().first { i in
                allowed.contains(ids[i]) && facts[i].line <= first.line && facts[i].change != nil
                    && (ctx.narrative(facts[i].value).map { sumV.agreement(with: $0) != .mismatch } ?? false)
            }.map { facts[$0] }
            guard let total, let tc = total.change, let tt = ctx.narrative(tc) else { continue }
            // (The list and the lines are written only for a finding.)
            func list() -> String { run.map { "\($0.key.dropFirst(5)) \($0.change?.printed ?? "")" }.joined(separator: ", ") }
            func lines() -> String { Array(Set(run.map(\.line))).sorted().map(String.init).joined(separator: "、") }
            ctx.compare("T-CHANGE", expected: tt, found: sumC,
                        whatZH: "第 \(lines()) 行各科目增减额之和（\(list())）应等于第 \(total.line) 行 \(total.key) 的增减额",
                        whatEN: "the item changes on lines \(lines()) (\(list())) should add up to the change of \(total.key) on line \(total.line)",
                        refs: [FindingRef(line: total.line)] + Array(Set(run.map(\.line))).sorted().map { FindingRef(line: $0) },
                        adviceZH: "请核对各科目的增减额与总额的增减额。", adviceEN: "Check the item changes against the total change.")
        }
    }

    static let changeTotalIDs = RuleTables.changeTotals.map(id)

    // MARK: T-SHARE

    /// The whole a fact's share is of: from the words printed after 占 (`RuleTables.shareBases`),
    /// nil where they name nothing checkable. A fact without those words (a document exported
    /// before `share_of` existed) falls back to the words around its amount.
    static func shareWhole(of f: Fact) -> String? {
        if let base = f.shareOf {
            guard let entry = RuleTables.shareBases.first(where: { base.includes($0.words) }), !entry.whole.isEmpty else { return nil }
            return entry.whole
        }
        let text = f.text ?? ""
        if text.includes("一般公共预算") { return "general" }
        if text.includes("财政拨款") || text.isEmpty { return Key.fiscalTotal }
        if text.includes("支出") { return Key.expenditureTotal }
        if text.includes("收入") { return Key.incomeTotal }
        return Key.fiscalTotal
    }

    static func shares(_ ctx: Context, _ facts: [Fact], _ ids: [Int]) {
        // By position: only the facts with a share are copied.
        for i in facts.indices where facts[i].share != nil {
            let f = facts[i]
            guard let share = f.share, let p = Interval(printed: share) else { continue }
            guard let denomKey = shareWhole(of: f) else { continue }
            var denom: Term?
            // Where the whole was read (a fact by position, or the general_function table's 合计
            // row): its name and place are written only for a finding (nearly every share agrees).
            var denomFact: Int?
            var denomTotal: (x: TableIndex, row: Int)?
            let denomID = denomKey == Key.fiscalTotal ? keyIDs.fiscalTotal
                : denomKey == Key.expenditureTotal ? keyIDs.expenditureTotal
                : denomKey == Key.incomeTotal ? keyIDs.incomeTotal : id(denomKey)
            if denomKey != "general", let d = facts.indices.last(where: { ids[$0] == denomID && facts[$0].line <= f.line }) ?? facts.indices.first(where: { ids[$0] == denomID }) {
                denom = ctx.narrative(facts[d].value)
                denomFact = d
            } else if denomKey == "general" || [Key.fiscalTotal, Key.expenditureTotal, Key.incomeTotal].contains(denomKey),
                      let g = ctx.firstIndex(.generalFunction), let r = g.totalIndex, let v = g.value(r, Column.total) {
                // (Where the narrative does not state the whole, the general_function table's 合计
                // stands in only for the document's totals; a part such as 基本支出 is never
                // compared with it.)
                denom = Term(v)
                denomTotal = (g, r)
            }
            guard let denom, let num = ctx.narrative(f.value), denom.interval.lower > 0,
                  let overlaps = Ratio.percentOverlaps(numerator: num.interval, denominator: denom.interval, percent: p) else { continue }
            let strict = Ratio.percentStrict(numerator: f.value, denominator: denom.amount, percent: p) ?? false
            if overlaps && strict { continue }
            var denomName = ""
            var denomRef = FindingRef()
            if let d = denomFact {
                denomName = "\(facts[d].key)（第 \(facts[d].line) 行）"
                denomRef = FindingRef(line: facts[d].line)
            } else if let t = denomTotal {
                denomName = "\(t.x.table.title) 合计"
                denomRef = ctx.ref(t.x, t.row, Column.total)
            }
            let computed = Ratio.percent(f.value, of: denom.amount, decimals: share.decimals)?.printed ?? "?"
            let precise = Ratio.percent(f.value, of: denom.amount, decimals: share.decimals + 2)?.printed ?? "?"
            if overlaps {
                ctx.add("T-SHARE", .info,
                        zh: "第 \(f.line) 行 \(f.key) 的占比：\(f.value.printed) ÷ \(denom.amount.printed) = \(precise)%，与所述 \(share.printed)% 的差异在四舍五入区间内（尾差）。",
                        en: "Line \(f.line) \(f.key): \(f.value.printed) ÷ \(denom.amount.printed) = \(precise)%, against the stated \(share.printed)%; within rounding.",
                        refs: [FindingRef(line: f.line), denomRef], expected: computed, found: share.printed)
            } else {
                ctx.add("T-SHARE", .error,
                        zh: "第 \(f.line) 行 \(f.key) 的占比不符：\(f.value.printed) ÷ \(denom.amount.printed)（\(denomName)）= \(precise)%，应写作 \(computed)%，文字为 \(share.printed)%。请更正百分比。",
                        en: "Line \(f.line) \(f.key): \(f.value.printed) ÷ \(denom.amount.printed) (\(denomName)) = \(precise)%, which should read \(computed)%, but the text states \(share.printed)%. Correct the percentage.",
                        refs: [FindingRef(line: f.line), denomRef], expected: computed, found: share.printed)
            }
        }
    }

    // MARK: T-ADMIN

    static func admin(_ ctx: Context, _ facts: [Fact], _ ids: [Int]) {
        guard let be = ctx.firstIndex(.basicEconomic) else { return }
        let title = be.table.title
        var expected: Term?
        var refs: [FindingRef] = []
        var what = ""
        if let r = be.totalIndex, let v = be.value(r, Column.publicFunds), let t = Term(v) {
            expected = t
            refs = [ctx.ref(be, r, Column.publicFunds)]
            what = "\(title) 合计 公用经费"
        } else {
            let rows = ["302", "310"].compactMap { be.rowIndex(Code($0)) }
            if !rows.isEmpty, let s = Term.sum(rows.compactMap { be.value($0, Column.total).flatMap { Term($0) } }) {
                expected = s
                refs = rows.map { ctx.ref(be, $0, Column.total) }
                what = "\(title) \(rows.compactMap { be.table.rows[$0].code }.joined(separator: " + "))"
            }
        }
        guard let expected else { return }
        let adminCost = keyIDs.adminCost
        for i in facts.indices where ids[i] == adminCost {
            let f = facts[i]
            guard let stated = ctx.narrative(f.value) else { continue }
            ctx.compare("T-ADMIN", expected: expected, found: stated, severity: .warning,
                        whatZH: "第 \(f.line) 行机关运行经费应等于\(what)",
                        whatEN: "administrative operating cost on line \(f.line) should equal \(what)",
                        refs: [FindingRef(line: f.line)] + refs,
                        adviceZH: "各地口径不同，请确认机关运行经费的统计范围。", adviceEN: "Definitions differ by region; confirm what the figure covers.")
        }
    }
}
