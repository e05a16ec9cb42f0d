import GoujiModel

/// Rules inside one table: R-COLS (columns), R-TREE (rows), R-BALANCE (two-sided tables).
enum TableRules {
    static func run(_ ctx: Context) {
        // By position: a `for t in tables` loop copies every table (a retain and a release per
        // field) before the `where` clause is read.
        // Tables of the kinds a rule passes over are not handed to it (a table is copied, field
        // by field, to be handed over).
        // The rules take the table's index (`ctx.index(at:)`, the index `ctx.index(t)` gives),
        // and read the table through it.
        let tables = ctx.doc.tables
        for i in tables.indices where !tables[i].empty && tables[i].kind != .performance { columns(ctx, ctx.index(at: i)) }
        for i in tables.indices where !tables[i].empty && !treeless(tables[i].kind) { tree(ctx, ctx.index(at: i)) }
        for i in tables.indices where !tables[i].empty && tables[i].kind.isTwoSided { balance(ctx, ctx.index(at: i)) }
    }

    // MARK: R-COLS

    static func columns(_ ctx: Context, _ x: TableIndex) {
        if x.table.kind == .performance { return }
        let flowTable = x.column(Column.priorCarryover, id: flowIDs.opening) != nil
            && x.column(Column.carryForward, id: flowIDs.closing) != nil
        if flowTable { flow(ctx, x) }
        // The rules read from one flat array of integers (`knownPlans`): a rule kept as a struct
        // of arrays is retained and released, field by field, each time it is read.
        knownPlans.withUnsafeBufferPointer { plans in
            for n in 0..<Int(plans[0]) {
                let at = Int(plans[1 + n])
                if at >= 0 {
                    knownColumnSum(ctx, x, n, plans, at, flowTable: flowTable)
                } else {
                    namedColumnSum(ctx, x, n, flowTable: flowTable)
                }
            }
        }
    }

    /// Every `ColumnSumPlan` with `masks`, as integers: `[0]` the number of rules, `[1 + n]` where
    /// rule n's record begins (-1: no masks, `namedColumnSum` checks it). A record: total id,
    /// unless id (-1 for none), counts opening (0/1), alternatives count, subsumes count; per
    /// alternative its mask, where its parts' ids begin and how many; per subsume its parent and
    /// children masks. (Masks are stored as their bits in an `Int64`.)
    static let knownPlans: [Int64] = {
        var data: [Int64] = [Int64(columnSumPlans.count)]
        data += repeatElement(-1, count: columnSumPlans.count)
        var orders: [(at: Int, ids: [Int])] = []
        for (n, plan) in columnSumPlans.enumerated() {
            guard let m = plan.masks else { continue }
            data[1 + n] = Int64(data.count)
            data += [Int64(m.total), Int64(m.unless ?? -1), plan.countsOpening ? 1 : 0,
                     Int64(m.alternatives.count), Int64(m.subsumes.count)]
            for (j, alt) in m.alternatives.enumerated() {
                data.append(Int64(bitPattern: alt))
                orders.append((data.count, plan.order[j]))
                data += [0, Int64(plan.order[j].count)]
            }
            for s in m.subsumes { data += [Int64(bitPattern: s.parent), Int64(bitPattern: s.children)] }
        }
        for o in orders {
            data[o.at] = Int64(data.count)
            data += o.ids.map(Int64.init)
        }
        return data
    }()

    /// One `RuleTables.columnSums` rule whose columns are all known keys (`ColumnSumPlan.masks`,
    /// read from `knownPlans` at `at`): the table's alternatives are bit sets of `ColumnID`s,
    /// worked out from the table's known keys with a few integer operations (no array of
    /// positions per rule and table), the exact sums taken over each set's bits. The parts of an
    /// alternative are added, and printed, in the rule's order (the set's bits filtered through
    /// it), as `namedColumnSum` does.
    static func knownColumnSum(_ ctx: Context, _ x: TableIndex, _ n: Int,
                               _ plans: UnsafeBufferPointer<Int64>, _ at: Int, flowTable: Bool) {
        if flowTable && plans[at + 2] != 0 { return }
        let present = x.knownColumns
        let unless = plans[at + 1]
        if unless >= 0, present & (1 << UInt64(unless)) != 0 { return }
        let total = Int(plans[at])
        guard present & (1 << UInt64(total)) != 0 else { return }
        let totalID = TableIndex.position(known: total, in: present)
        let count = Int(plans[at + 3]), subsumes = Int(plans[at + 4])
        let altAt = at + 5, subAt = altAt + 3 * count
        withUnsafeTemporaryAllocation(of: (mask: UInt64, alternative: Int).self, capacity: count) { alts in
            // The alternatives the table has, without repeats (an alternative's parts follow the
            // rule's order, so two alike as sets are alike as lists: see `ColumnSumPlan.masks`).
            var k = 0
            var union: UInt64 = 0
            for j in 0..<count {
                var m = UInt64(bitPattern: plans[altAt + 3 * j]) & present
                for s in 0..<subsumes where m & UInt64(bitPattern: plans[subAt + 2 * s]) != 0 {
                    m &= ~UInt64(bitPattern: plans[subAt + 2 * s + 1])
                }
                guard m != 0 else { continue }
                var seen = false
                for e in 0..<k where alts[e].mask == m { seen = true }
                if seen { continue }
                alts.initializeElement(at: k, to: (m, j))
                union |= m
                k += 1
            }
            guard k > 0 else { return }
            // Each alternative's columns as positions in the table, worked out once per table
            // (not a count of bits per part and row): `places[starts[e]..<starts[e + 1]]`.
            var placeCount = 0
            for e in 0..<k { placeCount += alts[e].mask.nonzeroBitCount }
            withUnsafeTemporaryAllocation(of: Int.self, capacity: placeCount) { places in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: k + 1) { starts in
            var p = 0
            for e in 0..<k {
                starts[e] = p
                var bits = alts[e].mask
                while bits != 0 {
                    places[p] = TableIndex.position(known: bits.trailingZeroBitCount, in: present)
                    p += 1
                    bits &= bits - 1
                }
            }
            starts[k] = p
            for ri in 0..<x.rowCount {
                // A row whose parts add up exactly in some alternative (nearly every row): the
                // best alternative is exact, nothing to report.
                var exact = false
                for e in 0..<k where x.exactRowSum(ri, columns: UnsafeBufferPointer(rebasing: places[starts[e]..<starts[e + 1]]), total: totalID) {
                    exact = true
                    break
                }
                if exact { continue }
                // A total with no component printed at all: nothing to compare.
                guard x.printsAny(ri, known: union) else { continue }
                let found = x.cell(ri, totalID).flatMap { Term($0) } ?? .blank
                // The parts' ids of alternative e, in the rule's order.
                func ids(_ e: Int) -> UnsafeBufferPointer<Int64> {
                    let a = altAt + 3 * alts[e].alternative
                    let start = Int(plans[a + 1])
                    return UnsafeBufferPointer(rebasing: plans[start..<(start + Int(plans[a + 2]))])
                }
                // Several alternatives: keep the one that agrees best (by its position).
                var best: (agreement: Agreement, sum: Term, alternative: Int)?
                for e in 0..<k {
                    let mask = alts[e].mask
                    var sum: Term? = Term.zero
                    for id in ids(e) where mask & (1 << UInt64(id)) != 0 {
                        if let v = x.cell(ri, TableIndex.position(known: Int(id), in: present)), let term = Term(v) { sum = sum?.plus(term) }
                    }
                    guard let sum else { continue }
                    let a = sum.agreement(with: found)
                    if let b = best, rank(b.agreement) <= rank(a) { continue }
                    best = (a, sum, e)
                }
                guard let (_, sum, e) = best else { continue }
                // Texts (and the row) are taken only for a finding.
                let mask = alts[e].mask
                let parts = ids(e).filter { mask & (1 << UInt64($0)) != 0 }.map { TableIndex.position(known: Int($0), in: present) }
                report(ctx, x, n, row: ri, parts: parts, sum: sum, found: found)
            }
            }
            }
        }
    }

    /// An R-COLS finding: row `ri`'s total against the sum of `parts` (column positions in the
    /// index, in the rule's order). The texts are read from the index: the row in place, the
    /// printed parts found once by position (`x.columns[c]` names column c), their amounts from
    /// the cells, the words written straight into one byte buffer each.
    /// A row's place as a finding names it: the table's title, then the row's code and label
    /// after an opening quote (the caller goes on with the column and closes it).
    static func addRow(_ b: inout TextBuffer, _ x: TableIndex, _ ri: Int, _ english: Bool) {
        let rows = x.table.rows
        b.add(x.table.title)
        b.add(english ? " row “" : " 行「")
        if let code = rows[ri].code {
            b.add(code)
            b.add(" ")
        }
        b.add(rows[ri].label)
    }

    static func report(_ ctx: Context, _ x: TableIndex, _ n: Int, row ri: Int, parts: [Int], sum: Term, found: Term) {
        let printed = parts.filter { x.printed(ri, $0) }
        func what(_ b: inout TextBuffer, _ english: Bool) {
            addRow(&b, x, ri, english)
            if english {
                b.add("”: ")
                b.add(RuleTables.columnSums[n].total)
                b.add(" = ")
                for (k, c) in printed.enumerated() {
                    if k > 0 { b.add(" + ") }
                    b.add(x.columns[c])
                }
            } else {
                b.add("」")
                b.add(RuleTables.columnSums[n].name)
            }
        }
        func refs() -> [FindingRef] {
            // (Room for every ref first: an array literal of one, then grown, was made twice.)
            var out: [FindingRef] = []
            out.reserveCapacity(printed.count + 1)
            out.append(ctx.ref(x, ri, RuleTables.columnSums[n].total))
            for c in printed { out.append(ctx.ref(x, ri, x.columns[c])) }
            return out
        }
        func expectedText() -> String {
            var b = TextBuffer(capacity: 32 + 24 * printed.count)
            b.add(sum.amount)
            b.add(" (")
            for (k, c) in printed.enumerated() {
                guard let v = x.cell(ri, c) else { continue }
                if k > 0 { b.add(" + ") }
                b.add(v)
            }
            b.add(")")
            return b.string
        }
        ctx.compare("R-COLS", expected: sum, found: found, what: what, refs: refs(), expectedText: expectedText(),
                    adviceZH: "请核对该行各列金额。", adviceEN: "Check the row's column amounts.")
    }

    /// One `RuleTables.columnSums` rule naming a column no `ColumnID` knows: positions looked up
    /// by name.
    static func namedColumnSum(_ ctx: Context, _ x: TableIndex, _ n: Int, flowTable: Bool) {
        do {
            let rule = RuleTables.columnSums[n]
            // The rule's column names with their `ColumnID`s, worked out once (`x.column(name, id:)`
            // is `x.column(name)` without looking the name up per table).
            let plan = columnSumPlans[n]
            if flowTable && plan.countsOpening { return }
            if let unless = plan.unless, x.column(unless.name, id: unless.id) != nil { return }
            guard let totalID = x.column(rule.total, id: plan.total) else { return }
            // Resolve each alternative to the parts the table actually has, as column positions
            // (a position stands for its name: `x.columns[position]`), so nothing compares text.
            var altIDs: [[Int]] = []
            for alt in plan.alternatives {
                // (Room is made at the first part the table has: most alternatives name columns
                // a table lacks, and an empty array allocates nothing.)
                var positions: [Int] = []
                for part in alt {
                    guard let c = x.column(part.name, id: part.id) else { continue }
                    if positions.isEmpty { positions.reserveCapacity(alt.count) }
                    positions.append(c)
                }
                for s in plan.subsumes {
                    guard let p = x.column(s.parent.name, id: s.parent.id), positions.contains(p) else { continue }
                    let children = s.children.compactMap { x.column($0.name, id: $0.id) }
                    positions.removeAll { children.contains($0) }
                }
                if !positions.isEmpty && !altIDs.contains(positions) { altIDs.append(positions) }
            }
            guard !altIDs.isEmpty else { return }
            let allIDs = altIDs.flatMap { $0 }
            for ri in x.table.rows.indices {
                // A row whose parts add up exactly in some alternative (nearly every row): the
                // best alternative is exact, nothing to report.
                if altIDs.contains(where: { x.exactRowSum(ri, columns: $0, total: totalID) }) { continue }
                let anyPart = allIDs.contains { x.printed(ri, $0) }
                // A total with no component printed at all: nothing to compare.
                guard anyPart else { continue }
                let found = x.cell(ri, totalID).flatMap { Term($0) } ?? .blank
                // Several alternatives: keep the one that agrees best (by its position).
                var best: (agreement: Agreement, sum: Term, alternative: Int)?
                for (k, ids) in altIDs.enumerated() {
                    var sum: Term? = Term.zero
                    for c in ids {
                        if let v = x.cell(ri, c), let term = Term(v) { sum = sum?.plus(term) }
                    }
                    guard let sum else { continue }
                    let a = sum.agreement(with: found)
                    if let b = best, rank(b.agreement) <= rank(a) { continue }
                    best = (a, sum, k)
                }
                guard let (_, sum, k) = best else { continue }
                report(ctx, x, n, row: ri, parts: altIDs[k], sum: sum, found: found)
            }
        }
    }

    /// R-COLS on a flow table (`RuleTables.flow`): per row with any of its amounts printed (a blank
    /// is zero), 年初结转和结余 + 本年收入 against 本年支出 + 年末结转和结余.
    static func flow(_ ctx: Context, _ x: TableIndex) {
        let f = RuleTables.flow
        guard let opening = x.column(f.opening), let closing = x.column(f.closing),
              let spending = x.column(f.spending) else { return }
        let left = [opening] + f.income.compactMap { x.column($0) }
        let right = [spending, closing]
        func sum(_ row: Int, _ columns: [Int]) -> Term? {
            var s: Term? = Term.zero
            for c in columns { if let v = x.cell(row, c), let term = Term(v) { s = s?.plus(term) } }
            return s
        }
        for ri in x.table.rows.indices where (left + right).contains(where: { x.printed(ri, $0) }) {
            guard let expected = sum(ri, left), let found = sum(ri, right) else { continue }
            func row() -> Row { x.table.rows[ri] }
            func name() -> String { let r = row(); return r.code.map { "\($0) \(r.label)" } ?? r.label }
            func amounts(_ columns: [Int]) -> String {
                columns.map { row().values[x.columns[$0]]?.printed ?? "0" }.joined(separator: " + ")
            }
            ctx.compare("R-COLS", expected: expected, found: found,
                        whatZH: "\(x.table.title) 行「\(name())」\(f.name)",
                        whatEN: "\(x.table.title) row “\(name())”: opening balance + income = spending + closing balance",
                        refs: (left + right).map { ctx.ref(x.table, row(), x.columns[$0]) },
                        expectedText: "\(expected.amount.printed) (\(amounts(left)))",
                        adviceZH: "请核对该行年初、年末结转和结余及本年收支金额。",
                        adviceEN: "Check the row's balances, income and spending.")
        }
    }

    /// A `RuleTables.columnSums` rule with every column name paired with its `ColumnID.of`: the
    /// total's id, each alternative's parts (the total itself left out) and the subsumed columns;
    /// the column whose presence takes the rule's place, and whether it counts the balance brought
    /// in (not checked in a flow table).
    struct ColumnSumPlan {
        typealias Name = (name: String, id: Int?)
        let total: Int?
        let alternatives: [[Name]]
        let subsumes: [(parent: Name, children: [Name])]
        let unless: Name?
        let countsOpening: Bool
        /// Each alternative's parts as `ColumnID`s, in the rule's order.
        let order: [[Int]]
        /// The rule as bit sets of `ColumnID`s, when every column it names is a known key and its
        /// alternatives list the parts they share in one order (then two alternatives that leave
        /// a table the same set of parts leave it the same list, and a set can stand for its
        /// list); nil otherwise (`namedColumnSum` then looks the names up).
        let masks: Masks?
        struct Masks {
            let total: Int
            let alternatives: [UInt64]
            let subsumes: [(parent: UInt64, children: UInt64)]
            let unless: Int?
        }

        init(_ rule: RuleTables.ColumnSum) {
            func named(_ k: String) -> Name { (k, ColumnID.of(k)) }
            let total = ColumnID.of(rule.total)
            let alternatives = rule.alternatives.map { alt in alt.filter { $0 != rule.total }.map(named) }
            let subsumes = rule.subsumes.map { (parent: named($0.key), children: $0.value.map(named)) }
            let unless = rule.unless.map(named)
            let order = alternatives.map { $0.compactMap(\.id) }
            self.total = total
            self.alternatives = alternatives
            self.subsumes = subsumes
            self.unless = unless
            self.order = order
            countsOpening = rule.alternatives.contains { $0.contains(RuleTables.flow.opening) }
            func mask(_ names: [Name]) -> UInt64? {
                var m: UInt64 = 0
                for n in names {
                    guard let id = n.id, id < 64 else { return nil }
                    m |= 1 << UInt64(id)
                }
                return m
            }
            // The shared parts of every two alternatives come in the same order.
            let consistent = order.allSatisfy { a in
                order.allSatisfy { b in a.filter(b.contains) == b.filter(a.contains) }
            }
            let altMasks = alternatives.compactMap(mask)
            let subMasks = subsumes.compactMap { s in mask([s.parent]).flatMap { p in mask(s.children).map { (p, $0) } } }
            if consistent, let total, total < 64, altMasks.count == alternatives.count, subMasks.count == subsumes.count,
               unless.map({ $0.id.map { $0 < 64 } ?? false }) ?? true {
                masks = Masks(total: total, alternatives: altMasks, subsumes: subMasks, unless: unless?.id)
            } else {
                masks = nil
            }
        }
    }

    static let columnSumPlans: [ColumnSumPlan] = RuleTables.columnSums.map(ColumnSumPlan.init)

    /// The `ColumnID`s of a flow table's balances (`RuleTables.flow`), worked out once.
    static let flowIDs = (opening: ColumnID.of(RuleTables.flow.opening), closing: ColumnID.of(RuleTables.flow.closing))

    static func rank(_ a: Agreement) -> Int {
        switch a {
        case .exact: 0
        case .rounding: 1
        case .mismatch: 2
        }
    }

    // MARK: R-TREE

    /// The kinds R-TREE passes over: two-sided tables (R-BALANCE) and performance targets.
    static func treeless(_ kind: TableKind) -> Bool { kind == .summary || kind == .fiscalSummary || kind == .performance }

    static func tree(_ ctx: Context, _ x: TableIndex) {
        if treeless(x.table.kind) { return }
        switch x.table.kind {
        case .threePublic:
            threePublicTree(ctx, x)
            return
        default:
            break
        }
        if x.allNumeric, x.hasNumericCodes {
            numericTree(ctx, x)
            return
        }
        // A table without any code (a list) skips the codes' reading: `x.codes` makes a `Code`
        // per row.
        let anyCode = x.table.rows.withUnsafeBufferPointer { rows in rows.contains { $0.code != nil } }
        // The coded rows, in document order, with their codes.
        let coded: [(row: Int, code: Code)] = anyCode ? x.codes.indices.compactMap { i in x.codes[i].map { (i, $0) } } : []
        if !coded.isEmpty {
            // Parent = Σ children, level by level.
            for (p, pc) in coded {
                var childLength: Int?
                for (_, c) in coded where c.length > pc.length && c.hasPrefix(pc) {
                    childLength = min(childLength ?? c.length, c.length)
                }
                guard let childLength else { continue }
                let children = coded.filter { $0.code.length == childLength && $0.code.hasPrefix(pc) }.map(\.row)
                sumCheck(ctx, x, parent: p, children: children, .parentItem)
            }
            // 合计 = Σ top-level rows.
            if let total = x.totalIndex {
                let top = coded.filter { r in
                    !coded.contains { $0.code.text != r.code.text && r.code.hasPrefix($0.code) }
                }.map(\.row)
                sumCheck(ctx, x, parent: total, children: top, .topLevel)
            }
        } else if let totalIndex = x.totalIndex {
            // A list without codes (项目清单, 基本支出分类): 合计 = Σ the other lines.
            // "其中" lines restate part of another line; they are not summed.
            let labels = x.labels
            let simple = x.simpleLabels
            let others = x.table.rows.indices.filter { i in
                let l = labels[i]
                return x.table.rows[i].side == nil && !TableIndex.isTotal(l) && !startsWithOfWhich(l, simple: simple[i])
            }
            guard others.count >= 1 else { return }
            // A list that prints group lines and their members (Σ lines = 2 × 合计) has a hierarchy
            // the labels do not show: nothing to sum without codes. (Cells read from the index:
            // `x.value` is the row's `values` entry, without copying the row.)
            if let tv = x.value(totalIndex, Column.total), others.count > 2, !tv.isZero, let two = tv.adding(tv),
               let all = Term.sum(others.compactMap { x.value($0, Column.total).flatMap { Term($0) } }),
               let t2 = Term(two), all.agreement(with: t2) != .mismatch {
                return
            }
            sumCheck(ctx, x, parent: totalIndex, children: others, .lines)
        }
    }

    /// `label.hasPrefix("其中")`: on bytes for simple text (see `DocumentRules.isSimple`: every
    /// scalar a Character of its own, none canonically equivalent to another, so a Character
    /// prefix is a byte prefix), else as `hasPrefix` reads it.
    static func startsWithOfWhich(_ label: String, simple: Bool) -> Bool {
        guard simple else { return label.hasPrefix("其中") }
        let ofWhich: StaticString = "其中"
        let fast: Bool? = label.utf8.withContiguousStorageIfAvailable { b in
            let n = ofWhich.utf8CodeUnitCount
            guard b.count >= n else { return false }
            let p = ofWhich.utf8Start
            for i in 0..<n where b[i] != p[i] { return false }
            return true
        }
        return fast ?? label.hasPrefix("其中")
    }

    /// `tree` for a table whose codes are all numeric: the same parents, children and top-level
    /// rows, found on plain integers. Each code's prefix at every code length the table prints is
    /// worked out once, so "c starts with p" is one comparison.
    /// Coded rows beyond which `numericTree` finds children and top-level rows through tables
    /// keyed by code prefix instead of comparing every pair (the same rows, in the same order): a
    /// disclosure's table has tens of rows, a pathological input hundreds of thousands.
    static let pairwiseRowLimit = 256

    static func numericTree(_ ctx: Context, _ x: TableIndex, pairwiseRowLimit limit: Int = pairwiseRowLimit) {
        // The coded rows, in document order, with their codes as numbers (read from the index:
        // no `Code` or String is copied).
        // (The counts the nested closures read are constants: a `var` they capture was checked
        // for exclusive access at run time.)
        let (n, present) = codedRows(x)
        // The distinct lengths, ascending, as a bit set (a numeric code has 1…17 digits).
        let m = present.nonzeroBitCount
        // Every list below lives in two temporary allocations (on the stack where it fits): a
        // dozen arrays per table, allocated and freed for every coded table of every document,
        // cost more than the comparisons themselves. (Sized by the lengths the table prints, the
        // lists of a disclosure's table fit on the stack; sized for every length, they did not.)
        // `wide`: the codes as numbers (`num[0..<n]`), then their prefixes (`prefix[0..<n * m]`).
        withUnsafeTemporaryAllocation(of: Int64.self, capacity: n + n * m) { wide in
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 6 * n + 2 * m + 1) { ints in
            func slice(_ k: Int, _ count: Int) -> UnsafeMutableBufferPointer<Int> {
                UnsafeMutableBufferPointer(rebasing: ints[(k * n)..<(k * n + count)])
            }
            let num = UnsafeMutableBufferPointer(rebasing: wide[0..<n])
            let prefix = UnsafeMutableBufferPointer(rebasing: wide[n..<(n + n * m)])
            let rows = slice(0, n), len = slice(1, n), level = slice(2, n)
            let children = slice(3, n), top = slice(4, n), byLevel = slice(5, n)
            let lengths = UnsafeMutableBufferPointer(rebasing: ints[(6 * n)..<(6 * n + m)])
            let levelStart = UnsafeMutableBufferPointer(rebasing: ints[(6 * n + m)..<(6 * n + 2 * m + 1)])
            // Each code's length by its position among the distinct lengths: the lengths below it.
            readCodes(x, rows: rows, numbers: num, lengths: len)
            var bits = present
            for l in 0..<m {
                lengths[l] = bits.trailingZeroBitCount
                bits &= bits &- 1
            }
            for i in 0..<n { level[i] = (present & ((1 << UInt64(len[i] & 63)) &- 1)).nonzeroBitCount }
            // (Positions in `prefix` are worked out with wrapping arithmetic: a code below n and a
            // level below m stay below n * m, the buffer's size.)
            // prefix[i * m + l]: code i's first lengths[l] digits as a number, for the shorter
            // lengths (l < level[i]: the only ones read, where a code's ancestors are looked for).
                let powers = Code.powers
                for i in 0..<n {
                    for l in 0..<level[i] { prefix[i &* m &+ l] = num[i] / powers[len[i] &- lengths[l]] }
                }
                // Beyond `limit` rows: per level, the codes under each prefix (document order), and the
                // codes of that level.
                let indexed = n > limit
                var under: [[Int64: [Int]]] = []
                var atLevel: [Set<Int64>] = []
                // Up to `limit` rows: the rows of each level in document order
                // (`byLevel[levelStart[l]..<levelStart[l + 1]]`), so that a parent's children and a row's
                // ancestors are looked for among the rows of the levels that can hold them, not among
                // every row (a leaf of the deepest level has none to compare).
                if indexed {
                    under = Array(repeating: [:], count: m)
                    atLevel = Array(repeating: [], count: m)
                    for b in 0..<n {
                        atLevel[level[b]].insert(num[b])
                        for l in 0..<level[b] { under[l][prefix[b * m + l], default: []].append(b) }
                    }
                } else {
                    var filled = 0
                    for l in 0..<m {
                        levelStart[l] = filled
                        for i in 0..<n where level[i] == l {
                            byLevel[filled] = i
                            filled += 1
                        }
                    }
                    levelStart[m] = filled
                }
                // Parent = Σ children, level by level (one children buffer, refilled per parent).
                for a in 0..<n {
                    let la = level[a], pn = num[a]
                    // The shortest longer code under a.
                    var childLevel = Int.max
                    var count = 0
                    if indexed {
                        let candidates = under[la][pn] ?? []
                        for b in candidates where level[b] < childLevel { childLevel = level[b] }
                        guard childLevel != Int.max else { continue }
                        for b in candidates where level[b] == childLevel {
                            children[count] = rows[b]
                            count += 1
                        }
                    } else {
                        // The first level below a's holding a code under it (levels ascend with length).
                        var l = la + 1
                        search: while l < m {
                            for k in levelStart[l]..<levelStart[l + 1] where prefix[byLevel[k] &* m &+ la] == pn {
                                childLevel = l
                                break search
                            }
                            l += 1
                        }
                        guard childLevel != Int.max else { continue }
                        for k in levelStart[childLevel]..<levelStart[childLevel + 1] {
                            let b = byLevel[k]
                            if prefix[b &* m &+ la] == pn {
                                children[count] = rows[b]
                                count += 1
                            }
                        }
                    }
                    sumCheck(ctx, x, parent: rows[a], children: UnsafeBufferPointer(rebasing: children[0..<count]), .parentItem)
                }
                // 合计 = Σ top-level rows: codes no other code is a prefix of.
                if let total = x.totalIndex {
                    var count = 0
                    for r in 0..<n {
                        var isUnder = false
                        if indexed {
                            // Under a code of a shorter length (a code of the same length is never a
                            // prefix of another one).
                            for l in 0..<level[r] where atLevel[l].contains(prefix[r &* m &+ l]) {
                                isUnder = true
                                break
                            }
                        } else {
                            // A code o is a proper prefix of r's when o is shorter and r's first digits at
                            // o's length are o (one of r's length is r itself or a different code).
                            search: for l in 0..<level[r] {
                                let p = prefix[r &* m &+ l]
                                for k in levelStart[l]..<levelStart[l + 1] where num[byLevel[k]] == p {
                                    isUnder = true
                                    break search
                                }
                            }
                        }
                        if !isUnder {
                            top[count] = rows[r]
                            count += 1
                        }
                    }
                    sumCheck(ctx, x, parent: total, children: UnsafeBufferPointer(rebasing: top[0..<count]), .topLevel)
                }
        }
        }
    }

    /// The number of rows of `x` with a numeric code, and the lengths of their codes (a bit set).
    static func codedRows(_ x: TableIndex) -> (count: Int, lengths: UInt64) {
        var n = 0
        var present: UInt64 = 0
        for i in 0..<x.rowCount where x.codeNumber(i) >= 0 {
            n += 1
            present |= 1 << UInt64(x.codeLength(i) & 63)
        }
        return (n, present)
    }

    /// The coded rows of `x` in document order, their codes as numbers and their codes' lengths,
    /// written into the buffers (`codedRows(x).count` long).
    static func readCodes(_ x: TableIndex, rows: UnsafeMutableBufferPointer<Int>, numbers: UnsafeMutableBufferPointer<Int64>,
                          lengths: UnsafeMutableBufferPointer<Int>) {
        var k = 0
        for i in 0..<x.rowCount where x.codeNumber(i) >= 0 {
            rows[k] = i
            numbers[k] = x.codeNumber(i)
            lengths[k] = x.codeLength(i)
            k += 1
        }
    }

    /// What an R-TREE check compares, for its finding's words: a parent item with its sub-items
    /// (the parent's code named), the total with the top-level items, the total with every line.
    enum TreeRelation {
        case parentItem, topLevel, lines
    }

    /// Parent = Σ children in every column (rows by index in `x`).
    static func sumCheck(_ ctx: Context, _ x: TableIndex, parent p: Int, children: [Int], _ relation: TreeRelation) {
        children.withUnsafeBufferPointer { sumCheck(ctx, x, parent: p, children: $0, relation) }
    }

    /// `sumCheck` on rows in a buffer (`numericTree` keeps its lists in temporary memory).
    static func sumCheck(_ ctx: Context, _ x: TableIndex, parent p: Int, children childIndices: UnsafeBufferPointer<Int>,
                         _ relation: TreeRelation) {
        guard !childIndices.isEmpty else { return }
        let width = x.width
        // The columns with nothing to do, found for every column in one pass over the rows'
        // integers (`TableIndex.settledColumns`): a call of `exactSum` per column cost more than
        // its sums. A column below 64 it leaves is no exact sum (it reads the same integers, with
        // fewer than `exactSumMaxTerms` children; with more it settles nothing).
        let settled = x.settledColumns(childIndices, parent: p)
        let settledKnown = childIndices.count < TableIndex.exactSumMaxTerms
        for ci in 0..<width {
            if ci < 64 && settled & (1 << UInt64(ci)) != 0 { continue }
            // Digits that add up exactly (nearly every column) need no terms and no finding.
            if !(ci < 64 && settledKnown) && x.exactSum(childIndices, column: ci, total: p) { continue }
            let col = x.columns[ci]
            // Σ the children's printed amounts (Term.sum of those that read as terms).
            let (printed, sum) = x.termSum(childIndices, column: ci)
            let parentValue = x.cell(p, ci)
            if printed == 0 && parentValue == nil { continue }
            // A parent printing nothing in a column its children fill: only a parent that prints
            // other columns counts as blank here (a row of dashes), else the column is not its.
            // (`values.isEmpty` of the parent row: every value of a row is one of its cells.)
            if parentValue == nil && !(0..<width).contains(where: { x.printed(p, $0) }) { continue }
            guard let sum else { continue }
            let found = parentValue.flatMap { Term($0) } ?? .blank
            // Texts are built only for a finding, from the index (labels already normalised,
            // cells by position), in one byte buffer each.
            // The relation's words are written straight in (no String of them made, then copied).
            func what(_ b: inout TextBuffer, _ english: Bool) {
                addRow(&b, x, p, english)
                b.add(english ? "” column " : "」列 ")
                b.add(col)
                b.add(english ? ": " : "：")
                switch relation {
                case .parentItem:
                    b.add(english ? "parent item " : "上级科目 ")
                    b.add(x.table.rows[p].code ?? "")
                    b.add(english ? " = Σ its sub-items" : " 应等于其下级科目之和")
                case .topLevel:
                    b.add(english ? "total = Σ top-level items" : "合计应等于各顶层科目之和")
                case .lines:
                    b.add(english ? "total = Σ lines" : "合计应等于各行之和")
                }
            }
            func expectedText() -> String {
                var b = TextBuffer(capacity: 32 + 24 * childIndices.count)
                b.add(sum.amount)
                b.add(" (")
                var first = true
                let rows = x.table.rows
                for c in childIndices {
                    guard let v = x.cell(c, ci) else { continue }
                    if !first { b.add(" + ") }
                    first = false
                    b.add(rows[c].code ?? rows[c].label)
                    b.add(" ")
                    b.add(v)
                }
                b.add(")")
                return b.string
            }
            func refs() -> [FindingRef] {
                var out: [FindingRef] = []
                out.reserveCapacity(childIndices.count + 1)
                out.append(ctx.ref(x, p, col))
                for c in childIndices where x.cell(c, ci) != nil { out.append(ctx.ref(x, c, col)) }
                return out
            }
            ctx.compare("R-TREE", expected: sum, found: found,
                        what: what,
                        refs: refs(),
                        expectedText: expectedText(),
                        adviceZH: "请核对上级行与下级行的金额。", adviceEN: "Check the parent line against its sub-lines.")
        }
    }

    /// `RuleTables.threePublicParts` by position in one list of the labels `threePublicTree`
    /// reads (the extras, the sums' totals and parts, the vehicle line and its halves, each once),
    /// with their normalised forms worked out once (`ctx.norm` of a label depends on the label
    /// alone): a table's row for a label is looked up once, and no label is compared as text.
    struct ThreePublicPlan {
        let labels: [String]
        let normalized: [String]
        let extras: [Int]
        let sums: [(total: Int, parts: [Int])]
        let total: Int, vehicle: Int
        let halves: [Int]

        init() {
            var labels: [String] = []
            func at(_ l: String) -> Int {
                if let k = labels.firstIndex(of: l) { return k }
                labels.append(l)
                return labels.count - 1
            }
            extras = ThreePublicItem.extras.map(at)
            sums = RuleTables.threePublicParts.map { (at($0.total), $0.parts.map(at)) }
            total = at(ThreePublicItem.total)
            vehicle = at(ThreePublicItem.vehicle)
            halves = [ThreePublicItem.vehiclePurchase, ThreePublicItem.vehicleOperation].map(at)
            let norm = LabelNormalizer()
            self.labels = labels
            normalized = labels.map(norm.norm)
        }
    }

    static let threePublicPlan = ThreePublicPlan()

    /// 三公: 合计 = 因公出国 + 公务接待 + 公务用车购置及运行维护; 公务用车购置及运行维护 = 购置 + 运行维护.
    static func threePublicTree(_ ctx: Context, _ x: TableIndex) {
        let plan = threePublicPlan
        // Rows by position and cells by column position in the table's index; each label's row
        // looked up once (`looked[k]`: -2 not yet, -1 none).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: plan.labels.count) { looked in
        looked.initialize(repeating: -2)
        func row(_ k: Int) -> Int? {
            if looked[k] == -2 { looked[k] = x.rowIndex(normalized: plan.normalized[k]) ?? -1 }
            return looked[k] >= 0 ? looked[k] : nil
        }
        // 会议费 and 培训费 printed beside the items (…“三公”经费、会议费和培训费…表): regions differ on
        // whether 合计 includes them, so 合计 may equal the items' sum with or without them.
        // (Looked up only where 合计 disagrees with the items: nearly every table agrees.)
        func extras() -> [Int] { plan.extras.compactMap(row) }
        // A wide table (items as columns) without the vehicle's two columns prints no halves:
        // their rows are the canonical items' places, empty, not blank cells.
        let wide = x.table.columns.contains { FastText.starts($0, with: "tp.") }
        let halvesPrinted = !wide || x.table.columns.contains { FastText.starts($0, with: "tp.vehicle.") }
        for (totalItem, partItems) in plan.sums {
            guard let total = row(totalItem) else { continue }
            if totalItem == plan.vehicle && !halvesPrinted { continue }
            let totalLabel = plan.labels[totalItem]
            var parts: [Int] = []
            for p in partItems {
                if let r = row(p) {
                    parts.append(r)
                } else if p == plan.vehicle {
                    // No combined vehicle line: its two halves stand in for it.
                    parts.append(contentsOf: plan.halves.compactMap(row))
                }
            }
            guard !parts.isEmpty else { continue }
            for c in 0..<x.width {
                // Digits that add up exactly (nearly every column) need no terms and no finding
                // (`exactSum` holds only where the sum of terms below would be exact, and an
                // exact sum is no mismatch for the extras to explain).
                if x.exactSum(parts, column: c, total: total) { continue }
                // The parts' terms added as they are read (`Term.sum` of them).
                let (terms, running) = x.termSum(parts, column: c)
                let totalValue = x.cell(total, c)
                if terms == 0 && totalValue == nil { continue }
                guard let sum = running else { continue }
                let found = totalValue.flatMap { Term($0) } ?? .blank
                if totalItem == plan.total, sum.agreement(with: found) == .mismatch, case let extras = extras(), !extras.isEmpty {
                    // With the extras' terms after the parts' (`Term.sum(terms + extras)`).
                    var withExtras: Term? = sum
                    for r in extras {
                        if let v = x.cell(r, c), let term = Term(v) { withExtras = withExtras?.plus(term) }
                    }
                    if let withExtras, withExtras.agreement(with: found) != .mismatch { continue }
                }
                let col = x.columns[c]
                ctx.compare("X-3PUB", expected: sum, found: found,
                            whatZH: "\(x.table.title)「\(totalLabel)」应等于各分项之和（\(col)）",
                            whatEN: "\(x.table.title) “\(totalLabel)” = Σ its items (\(col))",
                            refs: [ctx.ref(x, total, col)] + parts.filter { x.printed($0, c) }.map { ctx.ref(x, $0, col) },
                            expectedText: "\(sum.amount.printed) (\(parts.compactMap { r in x.cell(r, c).map { "\(x.table.rows[r].label) \($0.printed)" } }.joined(separator: " + ")))")
            }
        }
        }
    }

    // MARK: R-BALANCE

    /// The figures of a two-sided table, recognised by the words of its lines: row positions in
    /// the table's index (no row is copied; the rules read cells and labels from the index).
    final class TwoSided {
        var incomeGrand: Int?
        var incomeSubtotal: Int?
        var fiscalParent: Int?
        var fiscalChildren: [Int] = []
        var carryParent: Int?
        var carryChildren: [Int] = []
        var incomeCurrent: [Int] = []   // other sources counted in 本年收入
        var incomeBeyond: [Int] = []    // balance lines and sources printed after 本年收入合计
        var expenditureGrand: Int?
        var expenditureSubtotal: Int?
        var functionLines: [Int] = []
        var natureLines: [Int] = []
        var natureBeyond: [Int] = []
        var carryForward: [Int] = []

        /// The lists a line may join (`init` files each row under one, then makes each list once).
        private enum List: Int {
            case fiscalChildren, carryChildren, incomeCurrent, incomeBeyond, functionLines, natureLines,
                 natureBeyond, carryForward
            static var count: Int { 8 }
        }

        init(_ x: TableIndex) {
            // Filled in locals and stored once at the end (a class's `var` is checked for
            // exclusive access at run time on every write).
            var incomeGrand: Int?, incomeSubtotal: Int?, fiscalParent: Int?, carryParent: Int?
            var expenditureGrand: Int?, expenditureSubtotal: Int?
            var seenIncomeSubtotal = false
            var seenExpenditureSubtotal = false
            var functionBeforeSubtotal = false
            let rows = x.table.rows
            let simple = x.simpleLabels
            let labels = x.labels
            let n = labels.count
            // An expenditure line whose simple label is a function class's name (`functionClasses`,
            // which X-FUNC reads too) is a function line: `LineRole.classNamesAreFunctionLines`
            // holds every such name to `LineRole.expenditure`, which reads a simple label's bytes
            // alone. Its words are then not searched.
            let classes: [String?] = LineRole.classNamesAreFunctionLines ? x.functionClasses : []
            var fiscalChildren: [Int] = [], carryChildren: [Int] = [], incomeCurrent: [Int] = []
            var incomeBeyond: [Int] = [], functionLines: [Int] = [], natureLines: [Int] = []
            var natureBeyond: [Int] = [], carryForward: [Int] = []
            // Each row's list is noted first (-1: none), with each list's length, and every list is
            // then made at its final length: appended row by row, the lists grew (a fresh allocation
            // and a copy) a dozen times per document. One temporary allocation holds the notes
            // (`notes[0..<n]`), the lists' ends (`ends[0..<List.count]`) and the rows sorted by
            // list (`sorted[0..<n]`); every index is a row below n or a list below `List.count`.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * n + List.count) { buffer in
                let notes = UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
                let ends = UnsafeMutableBufferPointer(rebasing: buffer[n..<(n + List.count)])
                let sorted = UnsafeMutableBufferPointer(rebasing: buffer[(n + List.count)...])
                ends.initialize(repeating: 0)
                var functionCount = 0
                for r in 0..<n {
                    var list: List?
                    let label = labels[r]
                    let side = rows[r].side
                    if side == .income {
                        let role = LineRole.income(FastText.Word(label, simple: simple[r]))
                        // A fund line printed under the carry-over, after 本年收入合计 (决算: 年初财政拨款
                        // 结转和结余, then 一般公共预算财政拨款 …), is a part of the carry-over.
                        if carryParent != nil, seenIncomeSubtotal, role == .fiscalParent || role == .fiscalChild || role == .source {
                            list = .carryChildren
                        } else {
                            switch role {
                            case .grand: if incomeGrand == nil { incomeGrand = r }
                            case .subtotal: if incomeSubtotal == nil { incomeSubtotal = r }; seenIncomeSubtotal = true
                            case .fiscalParent: if fiscalParent == nil { fiscalParent = r } else { list = .incomeCurrent }
                            case .fiscalChild: list = .fiscalChildren
                            case .carryParent: if carryParent == nil { carryParent = r }
                            case .carryChild: list = .carryChildren
                            case .balance: list = .incomeBeyond
                            default: list = seenIncomeSubtotal ? .incomeBeyond : .incomeCurrent
                            }
                        }
                    } else if side == .expenditure {
                        let role: LineRole = !classes.isEmpty && simple[r] && classes[r] != nil
                            ? .function : LineRole.expenditure(FastText.Word(label, simple: simple[r]))
                        switch role {
                        case .grand: if expenditureGrand == nil { expenditureGrand = r }
                        case .subtotal:
                            if expenditureSubtotal == nil { expenditureSubtotal = r }
                            if !seenExpenditureSubtotal { functionBeforeSubtotal = functionCount > 0 }
                            seenExpenditureSubtotal = true
                        case .carryForward: list = .carryForward
                        case .nature:
                            let isTransfer = RuleTables.expenditureNatureTable[label, simple: simple[r]].map {
                                $0 == Column.toAffiliated || $0 == Column.toSuperior
                            } ?? false
                            // Transfers printed after 本年支出合计 (itself printed after the function
                            // lines) lie beyond the current-year total.
                            list = isTransfer && seenExpenditureSubtotal && functionBeforeSubtotal ? .natureBeyond : .natureLines
                        default:
                            list = .functionLines
                            functionCount += 1
                        }
                    }
                    notes[r] = list?.rawValue ?? -1
                    if let list { ends[list.rawValue] += 1 }
                }
                // Counts to ends, then each row placed at its list's end, from the last row back:
                // every list's rows in document order, at `sorted[start..<end]`.
                for k in 1..<List.count { ends[k] += ends[k - 1] }
                let listed = ends[List.count - 1]
                var r = n
                while r > 0 {
                    r -= 1
                    let k = notes[r]
                    guard k >= 0 else { continue }
                    ends[k] -= 1
                    sorted[ends[k]] = r
                }
                // (`ends[k]` is now where list k starts.)
                func made(_ list: List) -> [Int] {
                    let k = list.rawValue
                    let end = k + 1 < List.count ? ends[k + 1] : listed
                    return end > ends[k] ? Array(sorted[ends[k]..<end]) : []
                }
                fiscalChildren = made(.fiscalChildren)
                carryChildren = made(.carryChildren)
                incomeCurrent = made(.incomeCurrent)
                incomeBeyond = made(.incomeBeyond)
                functionLines = made(.functionLines)
                natureLines = made(.natureLines)
                natureBeyond = made(.natureBeyond)
                carryForward = made(.carryForward)
            }
            self.incomeGrand = incomeGrand
            self.incomeSubtotal = incomeSubtotal
            self.fiscalParent = fiscalParent
            self.fiscalChildren = fiscalChildren
            self.carryParent = carryParent
            self.carryChildren = carryChildren
            self.incomeCurrent = incomeCurrent
            self.incomeBeyond = incomeBeyond
            self.expenditureGrand = expenditureGrand
            self.expenditureSubtotal = expenditureSubtotal
            self.functionLines = functionLines
            self.natureLines = natureLines
            self.natureBeyond = natureBeyond
            self.carryForward = carryForward
        }

        /// 本年收入: the fiscal line (or its three parts) plus the other current sources.
        var currentIncomeRows: [Int] {
            (fiscalParent.map { [$0] } ?? fiscalChildren) + incomeCurrent
        }
        var carryRows: [Int] { carryParent.map { [$0] } ?? carryChildren }
    }

    static func balance(_ ctx: Context, _ x: TableIndex) {
        let s = x.sides
        let col = Column.total
        // Every amount read is a cell of the 总计/合计 column, by position in the index.
        let position = x.column(col)
        func value(_ r: Int) -> Amount? { position.flatMap { x.cell(r, $0) } }
        // Each check's parts are listed in one temporary buffer (no array joined per check). A
        // check lists each of `TwoSided`'s lists at most once, and at most two lines taken alone,
        // so its parts never outnumber the lists' rows and two (and the lists, disjoint, hold
        // at most the table's rows).
        let listed = s.fiscalChildren.count + s.carryChildren.count + s.incomeCurrent.count + s.incomeBeyond.count
            + s.functionLines.count + s.natureLines.count + s.natureBeyond.count + s.carryForward.count
        withUnsafeTemporaryAllocation(of: Int.self, capacity: listed + 2) { buffer in
        var count = 0
        func put(_ r: Int?) {
            guard let r else { return }
            precondition(count < buffer.count, "R-BALANCE: more parts than lines")
            buffer[count] = r
            count += 1
        }
        func put(_ rows: [Int]) { for r in rows { put(r) } }
        // (The relation's words are written only for a finding.)
        func check(_ parent: Int?, zh: @autoclosure () -> String, en: @autoclosure () -> String) {
            let parts = UnsafeBufferPointer(rebasing: buffer[0..<count])
            count = 0
            guard let parent, !parts.isEmpty else { return }
            // Digits that add up exactly (nearly every check) need no terms and no finding
            // (`exactSum` holds only where the sum of terms below would be exact).
            if let position, x.exactSum(parts, column: position, total: parent) { return }
            // The sum of the printed parts' terms, added as they are read (`Term.sum` of them:
            // the same additions in the same order, nil on any overflow), with no array of parts
            // or terms: a finding lists the printed parts again.
            var anyPrinted = false
            var sum: Term? = Term.zero
            for r in parts {
                guard let v = value(r) else { continue }
                anyPrinted = true
                if let t = Term(v) { sum = sum?.plus(t) }
            }
            let parentValue = value(parent)
            if !anyPrinted && parentValue == nil { return }
            guard let sum else { return }
            let found = parentValue.flatMap { Term($0) } ?? .blank
            func printed() -> [Int] { parts.filter { value($0) != nil } }
            ctx.compare("R-BALANCE", expected: sum, found: found,
                        whatZH: "\(x.table.title)：\(zh())", whatEN: "\(x.table.title): \(en())",
                        refs: [ctx.ref(x, parent, col)] + printed().map { ctx.ref(x, $0, col) },
                        expectedText: "\(sum.amount.printed) (\(printed().compactMap { r in value(r).map { "\(x.labels[r]) \($0.printed)" } }.joined(separator: " + ")))",
                        adviceZH: "请核对收支总表各行。", adviceEN: "Check the lines of the two-sided table.")
        }
        // Fiscal line = 一般公共预算 + 政府性基金 + 国有资本经营.
        put(s.fiscalChildren)
        check(s.fiscalParent, zh: "\(s.fiscalParent.map { x.table.rows[$0].label } ?? "财政拨款") 应等于其分项之和",
              en: "the fiscal-appropriation line = Σ its three budgets")
        put(s.carryChildren)
        check(s.carryParent, zh: "上年结转应等于其分项之和", en: "prior-year carry-over = Σ its parts")
        // 本年收入合计 = Σ income lines (`currentIncomeRows`: the fiscal line or its parts, then the
        // other sources).
        func putCurrentIncome() {
            if let p = s.fiscalParent { put(p) } else { put(s.fiscalChildren) }
            put(s.incomeCurrent)
        }
        putCurrentIncome()
        check(s.incomeSubtotal, zh: "本年收入合计应等于各收入项目之和", en: "current-year income total = Σ income lines")
        // 收入总计 = 本年收入合计 + 结转结余 (`carryRows`: the carry-over line or its parts).
        if let grand = s.incomeGrand {
            if let subtotal = s.incomeSubtotal { put(subtotal) } else { putCurrentIncome() }
            if let p = s.carryParent { put(p) } else { put(s.carryChildren) }
            put(s.incomeBeyond)
            check(grand, zh: "收入总计应等于本年收入合计加上年结转结余",
                  en: "income grand total = current-year income + carry-over and balances")
        }
        // 本年支出合计 = Σ function lines; = Σ lines by nature where printed.
        let fnPrinted = s.functionLines.contains { value($0) != nil }
        if fnPrinted {
            put(s.functionLines)
            check(s.expenditureSubtotal, zh: "本年支出合计应等于各功能分类支出之和",
                  en: "current-year expenditure total = Σ function lines")
        }
        if s.natureLines.contains(where: { value($0) != nil }) {
            put(s.natureLines)
            check(s.expenditureSubtotal, zh: "本年支出合计应等于基本支出与项目支出等之和",
                  en: "current-year expenditure total = basic + project (+ other) lines")
        }
        if let grand = s.expenditureGrand {
            if let subtotal = s.expenditureSubtotal { put(subtotal) } else { put(fnPrinted ? s.functionLines : s.natureLines) }
            put(s.carryForward)
            put(s.natureBeyond)
            check(grand, zh: "支出总计应等于本年支出合计加结转下年",
                  en: "expenditure grand total = current-year expenditure + carry-forward")
        }
        }
        // 收入总计 = 支出总计.
        if let ig = s.incomeGrand, let eg = s.expenditureGrand, let a = value(ig), let b = value(eg),
           let ta = Term(a), let tb = Term(b) {
            ctx.compare("R-BALANCE", expected: ta, found: tb,
                        whatZH: "\(x.table.title)：收入总计应等于支出总计", whatEN: "\(x.table.title): income grand total = expenditure grand total",
                        refs: [ctx.ref(x, ig, col), ctx.ref(x, eg, col)])
        }
        // Fund columns of the expenditure side (fiscal_summary: total = 一般公共预算 + 政府性基金 + 国有资本经营)
        // are R-COLS; nothing more here.
    }
}
