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
        // Its family (`econ.`, `func.`, ...) is read in the same pass, once: `candidates` and
        // `groups` both ask.
        var ids: [Int] = []
        // (Families by raw value: an `[Int]` grows by the same code as `ids`.)
        var families: [Int] = []
        ids.reserveCapacity(facts.count)
        families.reserveCapacity(facts.count)
        let lengths = namedKeyLengths
        for i in facts.indices {
            let (id, family) = classify(facts[i].key, lengths: lengths)
            ids.append(id)
            families.append(family.rawValue)
        }
        if !facts.isEmpty { amounts(ctx, facts, ids, families) }
        percentChanges(ctx, facts)
        compositions(ctx, facts, ids)
        groups(ctx, facts, ids, families)
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

    /// `namedKeyTable[key] ?? -1`, most other keys told without a lookup. Where every named key
    /// is made of lowercase ASCII letters, `.` and `_` (no other character is canonically
    /// equivalent to any of them), a String equal to one is its very bytes: it has one of their
    /// byte lengths and ends in a letter. A `func.`/`econ.` key ends in a digit, a project's in
    /// its name's last character, and most have another length.
    static func id(_ key: String) -> Int {
        let n = key.utf8.count
        if let lengths = namedKeyLengths {
            guard mayBeNamed(n, last: key.utf8.last ?? 0, lengths) else { return -1 }
        }
        return namedKeyTable[key] ?? -1
    }

    /// Whether a key of `n` UTF-8 bytes ending in byte `last` may be a named key, by
    /// `namedKeyLengths` (see `id`).
    @inline(__always)
    static func mayBeNamed(_ n: Int, last: UInt8, _ lengths: UInt64) -> Bool {
        n < 64 && lengths & (1 << UInt64(n)) != 0 && last >= 0x61 && last <= 0x7A
    }

    /// `(id(key), Family(key))`, the key's bytes read in place once for both (`lengths`:
    /// `namedKeyLengths`, read once by the caller).
    static func classify(_ key: String, lengths: UInt64?) -> (id: Int, family: Family) {
        let read: (named: Bool, family: Family?)? = key.utf8.withContiguousStorageIfAvailable { b in
            let n = b.count
            guard n > 0 else { return (lengths == nil, Family.none) }
            return (lengths.map { mayBeNamed(n, last: b[n - 1], $0) } ?? true, Family(bytes: b))
        }
        guard let read else { return (id(key), Family(key)) }
        return (read.named ? namedKeyTable[key] ?? -1 : -1, read.family ?? Family(key))
    }

    /// Bit n set where a named key has n UTF-8 bytes; nil where some named key is not of the
    /// letters `id` assumes (or is too long for the mask), and `id` looks up every key.
    static let namedKeyLengths: UInt64? = {
        var mask: UInt64 = 0
        for k in namedKeys.keys {
            let b = Array(k.utf8)
            guard b.count < 64, let last = b.last, last >= 0x61 && last <= 0x7A,
                  b.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2E || $0 == 0x5F }) else { return nil }
            mask |= 1 << UInt64(b.count)
        }
        return mask
    }()

    /// Keys `candidates` and the rules below name.
    enum Key {
        static let incomeTotal = "income.total", expenditureTotal = "expenditure.total", fiscalTotal = "fiscal.total"
        static let expenditureBasic = "expenditure.basic", expenditureProject = "expenditure.project"
        static let basicPersonnel = "basic.personnel", basicPublic = "basic.public"
        static let projectsTotal = "projects.total", projectsCount = "projects.count", adminCost = "admin_cost"
    }
    /// The family of a fact key by its prefix: `FastText.starts` of `econ.`, `func.`,
    /// `three_public.` and `project.`, asked once per fact (the key's first byte first: most keys
    /// are of none).
    enum Family: Int {
        case none, econ, function, threePublic, project

        /// The prefixes, each with its family (no key has two: they differ in their first byte).
        static let prefixes: [(prefix: StaticString, family: Family)] = [
            ("econ.", .econ), ("func.", .function), ("three_public.", .threePublic), ("project.", .project),
        ]

        init(_ key: String) {
            if let f = key.utf8.withContiguousStorageIfAvailable({ Family(bytes: $0) }) ?? nil {
                self = f
                return
            }
            self = Family.prefixes.first { FastText.starts(key, with: $0.prefix) }?.family ?? .none
        }

        /// The family of a key's UTF-8 `b`; nil where the bytes do not tell (`FastText.starts`).
        init?(bytes b: UnsafeBufferPointer<UInt8>) {
            let lead = b.isEmpty ? 0 : b[0]
            for (prefix, family) in Family.prefixes where prefix.utf8Start[0] == lead {
                guard let starts = FastText.starts(b, with: prefix) else { return nil }
                self = starts ? family : .none
                return
            }
            self = .none
        }
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
        /// Where the candidate was read: a table by its index, a row by position (-1: the table
        /// itself, which prints no such row) and a column; or a place of its own (`fixed`: a
        /// project, a sum of two tables), with no table. Plain fields, no enum payloads: most
        /// candidates agree and are dropped unread, and destroying a struct of a few references
        /// costs far less than destroying enums that hold them (through their value witnesses).
        let index: TableIndex?
        let row: Int
        let column: String
        let fixed: FindingRef?
        /// How a finding names the candidate; `words` is what follows the table's title
        /// (`titled`), the project's name (`project`) or the whole name (`plain`), and empty for
        /// `cell`. Kept as parts, put together only for a finding.
        let naming: Naming
        let words: String

        enum Naming {
            /// "title code-or-label column" of the place's cell ("title  column" without a row).
            case cell
            /// "title words" of the place's table.
            case titled
            /// 项目「words」.
            case project
            case plain
        }

        /// A candidate read from table `x`, at row `row` (nil: the table itself) of `column`.
        init(_ term: Term, _ x: TableIndex, row: Int?, _ column: String, _ naming: Naming = .cell, _ words: String = "") {
            self.term = term
            index = x
            self.row = row ?? -1
            self.column = column
            fixed = nil
            self.naming = naming
            self.words = words
        }

        /// A candidate with a place of its own.
        init(_ term: Term, fixed: FindingRef, _ naming: Naming, _ words: String) {
            self.term = term
            index = nil
            row = -1
            column = ""
            self.fixed = fixed
            self.naming = naming
            self.words = words
        }

        func ref(_ ctx: Context) -> FindingRef {
            if let fixed { return fixed }
            guard let x = index else { return FindingRef() }
            return row >= 0 ? ctx.ref(x, row, column) : ctx.ref(x.table, nil, column)
        }

        func name(_ ctx: Context) -> String {
            switch naming {
            case .project:
                return "项目「\(words)」"
            case .plain:
                return words
            case .cell, .titled:
                // (A place of its own has no title.)
                guard let x = index else { return "" }
                if naming == .titled { return "\(x.table.title) \(words)" }
                return "\(x.table.title) \(row >= 0 ? x.table.rows[row].code ?? x.label(row) : "") \(column)"
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
            names.reserveCapacity(ctx.doc.projects.count)
            for (i, p) in ctx.doc.projects.enumerated() {
                let n = ctx.norm(p.name)
                if !n.isEmpty { names.append((i, FastText.Word(n))) }
            }
            return names
        }()
    }

    /// What `candidates` finds for a fact. Held to the stated amount (`stated`), each candidate's
    /// term is compared as it is found and nothing else of it is made or kept: the first exact
    /// agreement settles the fact (no finding, whatever follows), so the look stops there. Without
    /// `stated`, every candidate is made and kept (`list`), for a finding: `amounts` looks again
    /// so for the few facts that have one, and finds the same candidates in the same order
    /// (`candidates` only reads the document; what it caches does not change what it finds).
    struct Found {
        let stated: Term?
        var list: [Candidate] = []
        /// How many candidates were found (kept or not).
        var count = 0
        /// Whether a candidate agrees exactly with `stated`.
        var exact = false
        /// The position of the first candidate that agrees with `stated` within rounding.
        var rounding: Int?

        init(stated: Term?) { self.stated = stated }

        var isEmpty: Bool { count == 0 }

        /// A candidate of term `term`; `make` builds it, only when it is kept.
        @inline(__always)
        mutating func add(_ term: Term, _ make: () -> Candidate) {
            if let stated {
                switch term.agreement(with: stated) {
                case .exact: exact = true
                case .rounding: if rounding == nil { rounding = count }
                case .mismatch: break
                }
            } else {
                list.append(make())
            }
            count += 1
        }
    }

    /// Finds the candidates for a fact into `out` and returns whether they are complete. The fact
    /// is given by its key and part (what the candidates depend on): its other fields are not
    /// copied for the facts that agree. Once `out` holds an exact agreement, the rest is not
    /// looked up (and what is returned does not matter).
    static func candidates(_ ctx: Context, key: String, part: String?, id keyID: Int, family: Family? = nil,
                           projects: Projects, into out: inout Found) -> Bool {
        // The cell in column `col` of the row at position `row` of the first table of `kind`
        // (a two-sided table's line from `summarySides`/`fiscalSides`, or a row found by label).
        func line(_ kind: TableKind, _ row: Int?, _ col: KnownColumn) {
            guard !out.exact, let x = ctx.firstIndex(kind), let r = row, let c = x.column(col.name, id: col.id),
                  let v = x.cell(r, c), let term = Term(v) else { return }
            out.add(term) { Candidate(term, x, row: r, col.name) }
        }
        // `cell(kind, ctx.totalRow(ctx.first(kind)), col)`, read from the index (no table or
        // row copied, no hashing).
        func total(_ kind: TableKind, _ col: KnownColumn) {
            guard !out.exact, let x = ctx.firstIndex(kind), let r = x.totalIndex, let c = x.column(col.name, id: col.id),
                  let v = x.cell(r, c), let term = Term(v) else { return }
            out.add(term) { Candidate(term, x, row: r, col.name) }
        }
        // `cell(kind, ctx.first(kind).flatMap { ctx.row($0, code: code.text) }, col)`, on the index.
        func coded(_ kind: TableKind, _ code: Code, _ col: KnownColumn) {
            guard !out.exact, let x = ctx.firstIndex(kind), let r = x.rowIndex(code), let c = x.column(col.name, id: col.id),
                  let v = x.cell(r, c), let term = Term(v) else { return }
            out.add(term) { Candidate(term, x, row: r, col.name) }
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
                    out.add(sum) { Candidate(sum, be, row: first, Column.total, .titled, codes.joined(separator: "+")) }
                }
            }
        case k.projectsTotal, k.projectsCount:
            // The narrative's project count and sum against the disclosed projects: X-PROJ.
            return true
        default:
            // (The family as `run` read it, else read here.)
            let family = family ?? Family(key)
            if family == .econ {
                let code = FastText.after(key, prefix: "econ.")
                let q = Code(code)
                switch partKind(part) {
                case 1:
                    coded(.basicEconomic, q, Columns.total)
                    return true
                case 2:
                    coded(.projectEconomic, q, Columns.total)
                    return true
                default:
                    coded(.generalEconomic, q, Columns.total)
                    coded(.basicEconomic, q, Columns.total)
                    coded(.projectEconomic, q, Columns.total)
                    if out.exact { return true }
                    let b = ctx.firstIndex(.basicEconomic).flatMap { $0.value($0.rowIndex(q), Column.total) }
                    let p = ctx.firstIndex(.projectEconomic).flatMap { $0.value($0.rowIndex(q), Column.total) }
                    if let b, let p, let sum = Term.sum([Term(b), Term(p)].compactMap { $0 }) {
                        out.add(sum) { Candidate(sum, fixed: FindingRef(table: TableKind.basicEconomic.rawValue, code: code, column: Column.total), .plain, "基本 + 项目 \(code)") }
                    }
                    // Without the all-spending economic table, a figure of all spending cannot be
                    // told from the basic part unless there is no project spending.
                    let spending = ctx.firstIndex(.expenditure) ?? ctx.firstIndex(.generalFunction)
                    let noProject = spending.flatMap { $0.value($0.totalIndex, Column.project) }.map(\.isZero) ?? false
                    let complete = ctx.firstIndex(.generalEconomic) != nil || ctx.firstIndex(.projectEconomic) != nil || noProject
                    return complete
                }
            }
            if family == .function {
                let what = FastText.after(key, prefix: "func.")
                // On the first tables' indexes (`ctx.first(kind)` copies the table; its index is
                // what `functionAmount` and `row` look up anyway).
                if let q = digitCode(what) {
                    for kind in functionKinds {
                        guard !out.exact, let x = ctx.firstIndex(kind),
                              let term = ctx.functionAmount(x, code: q, column: x.column(Column.total, id: Columns.total.id)) else { continue }
                        out.add(term) { Candidate(term, x, row: x.rowIndex(q), Column.total, .titled, what) }
                    }
                } else {
                    let label = ctx.norm(what)
                    for kind in functionKinds {
                        guard !out.exact, let x = ctx.firstIndex(kind), let r = x.rowIndex(normalized: label) else { continue }
                        line(kind, r, Columns.total)
                    }
                    if !out.exact, let code = RuleTables.functionClassTable[label] {
                        let q = Code(code)
                        for kind in functionKinds.prefix(2) {
                            guard !out.exact, let x = ctx.firstIndex(kind), x.rowIndex(normalized: label) == nil,
                                  let term = ctx.functionAmount(x, code: q, column: x.column(Column.total, id: Columns.total.id)) else { continue }
                            out.add(term) { Candidate(term, x, row: x.rowIndex(q), Column.total, .titled, code) }
                        }
                    }
                }
            } else if family == .threePublic, let label = threePublicKeyTable[key] {
                if let x = ctx.firstAnyIndex(.threePublic) {
                    let t = x.table
                    func row(_ label: String) -> Int? { x.rowIndex(normalized: ctx.norm(label)) }
                    if t.empty {
                        out.add(.blank) { Candidate(.blank, fixed: FindingRef(table: t.kind.rawValue, label: label, line: t.line), .plain, "\(t.title)（空表）") }
                    } else if let r = row(label) {
                        let term = x.value(r, Column.total).flatMap { Term($0) } ?? .blank
                        out.add(term) { Candidate(term, x, row: r, Column.total, .titled, label) }
                        // A 合计 that includes 会议费 and 培训费 printed beside the items: the 三公
                        // total the narrative states is the items' sum.
                        if !out.exact, label == ThreePublicItem.total, ThreePublicItem.extras.contains(where: { row($0) != nil }) {
                            let items = RuleTables.threePublicParts[0].parts.compactMap(row)
                            if let sum = Term.sum(items.compactMap { x.value($0, Column.total).flatMap { Term($0) } }) {
                                out.add(sum) { Candidate(sum, x, row: r, Column.total, .titled, label) }
                            }
                        }
                    } else if label == ThreePublicItem.vehicle {
                        let parts = [ThreePublicItem.vehiclePurchase, ThreePublicItem.vehicleOperation].compactMap(row)
                        if let first = parts.first, let sum = Term.sum(parts.map { x.value($0, Column.total).flatMap { Term($0) } ?? .blank }) {
                            out.add(sum) { Candidate(sum, x, row: first, Column.total, .titled, label) }
                        }
                    }
                }
            } else if family == .project {
                let chosen = chooseProject(ctx, key: key, in: projects.names)
                if chosen >= 0 {
                    let p = ctx.doc.projects[chosen]
                    if let v = p.total, let term = Term(v) {
                        out.add(term) { Candidate(term, fixed: FindingRef(label: p.name, line: p.line), .project, p.name) }
                    }
                }
            }
        }
        return true
    }

    /// The tables a `func.` fact may restate, in the order they are read (one list, not a new
    /// array per fact).
    static let functionKinds: [TableKind] = [.generalFunction, .expenditure, .income]

    /// The project a `project.` fact names (by position in the document's projects), or -1: only
    /// an unambiguous project is chosen (one exact match, or a single containing match, an exact
    /// match counting as containing too). Names compared on bytes where both are simple text (no
    /// slow canonical compare); counted, not collected. The names are searched for containing
    /// ones only where none is exact: with one exact match that project is chosen, with two or
    /// more none is.
    static func chooseProject(_ name: FastText.Word, in names: [(project: Int, name: FastText.Word)]) -> Int {
        var text = name.text
        return text.withUTF8 { chooseProject($0, simple: name.simple, in: names) }
    }

    /// `chooseProject` for the name a `project.` key gives (`ctx.norm` of what follows the
    /// prefix). Where the cut falls on bytes (see `FastText.cut`) and that tail is already normal
    /// (`FastText.normalBytes`: `norm` returns it unchanged) the name is read in the key's own
    /// bytes, no String cut, normalised or measured for it.
    static func chooseProject(_ ctx: Context, key: String, in names: [(project: Int, name: FastText.Word)]) -> Int {
        let n = ("project." as StaticString).utf8CodeUnitCount
        let inPlace: Int?? = key.utf8.withContiguousStorageIfAvailable { b -> Int? in
            guard FastText.cut(b, at: n) else { return nil }
            let tail = UnsafeBufferPointer(rebasing: b[n...])
            guard FastText.normalBytes(tail) else { return nil }
            return chooseProject(tail, simple: DocumentRules.isSimple(tail), in: names)
        }
        if let chosen = inPlace ?? nil { return chosen }
        return chooseProject(FastText.Word(ctx.norm(FastText.after(key, prefix: "project."))), in: names)
    }

    /// `chooseProject` on the name's UTF-8 bytes (`simple`: whether they are simple text, as
    /// `FastText.Word` tells): `Word ==` (bytes where both are simple, else String `==`) and
    /// `includes` (a literal match of bytes) read the same bytes.
    static func chooseProject(_ name: UnsafeBufferPointer<UInt8>, simple: Bool, in names: [(project: Int, name: FastText.Word)]) -> Int {
        // `String ==` where either side is not simple text (rare): the name's String, made once.
        var nameText: String?
        func equal(_ n: FastText.Word, _ t: UnsafeBufferPointer<UInt8>) -> Bool {
            if simple && n.simple {
                guard t.count == name.count else { return false }
                var i = 0
                while i < t.count && t[i] == name[i] { i += 1 }
                return i == t.count
            }
            if nameText == nil { nameText = String(decoding: name, as: UTF8.self) }
            return n.text == nameText
        }
        // `text.includes(word)` on bytes, answered without a search where the word is longer.
        func includes(_ text: UnsafeBufferPointer<UInt8>, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
            word.count <= text.count && ByteSearch.first(word, in: text) != nil
        }
        // (Each name's bytes read in place; a copy where a String has none contiguous.)
        func bytes<R>(_ n: FastText.Word, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            if let r = n.text.utf8.withContiguousStorageIfAvailable(body) { return r }
            var t = n.text
            return t.withUTF8(body)
        }
        var exact = 0, lastExact = -1
        // (Simple texts of different byte lengths differ, known before either is read.)
        for (j, n) in names where !(simple && n.simple && n.text.utf8.count != name.count) && bytes(n, { equal(n, $0) }) {
            exact += 1
            lastExact = j
        }
        if exact > 0 { return exact == 1 ? lastExact : -1 }
        var matches = 0, lastMatch = -1
        for (j, n) in names where bytes(n, { includes($0, name) || includes(name, $0) }) {
            matches += 1
            lastMatch = j
        }
        return matches == 1 ? lastMatch : -1
    }

    /// `FastText.isDigits(text) ? Code(text) : nil`, the text read once where the code's measure
    /// tells (a code of 1...17 ASCII digits has a number; a longer one needs the full look). A
    /// text that does not start with a digit is no code, and is not measured (counting the
    /// characters of a name costs more than the rest).
    static func digitCode(_ text: String) -> Code? {
        let first = text.utf8.first ?? 0
        guard first >= 0x30 && first <= 0x39 else { return nil }
        let q = Code(text)
        return q.number >= 0 || (q.length > 17 && FastText.isDigits(text)) ? q : nil
    }

    /// A fact's `part`: 1 for `basic`, 2 for `project`, 0 for any other or none (what `part ==
    /// "basic"` and `part == "project"` answer, on bytes: see `FastText.equals`).
    static func partKind(_ part: String?) -> Int {
        guard let part else { return 0 }
        return FastText.equals(part, "basic") ? 1 : FastText.equals(part, "project") ? 2 : 0
    }

    /// `text.includes(word)`, answered without a search where the word has more UTF-8 bytes
    /// than the text: a literal match of the word's bytes cannot fit (and such a word is not
    /// empty).
    @inline(__always)
    static func includes(_ text: String, _ word: String) -> Bool {
        word.utf8.count <= text.utf8.count && text.includes(word)
    }

    static func amounts(_ ctx: Context, _ facts: [Fact], _ ids: [Int], _ families: [Int]) {
        let projects = Projects(ctx)
        let adminCost = keyIDs.adminCost
        // By position: a Fact is copied only for a finding (its key and part are read in place).
        for i in facts.indices where ids[i] != adminCost {
            // (The stated term first: a fact without one has no finding, and its candidates are
            // not looked for.)
            guard let stated = ctx.narrative(facts[i].value) else { continue }
            // An exact candidate ends the fact; else the first within rounding.
            var found = Found(stated: stated)
            let complete = candidates(ctx, key: facts[i].key, part: facts[i].part, id: ids[i], family: Family(rawValue: families[i]),
                                      projects: projects, into: &found)
            if found.exact || found.isEmpty { continue }
            guard found.rounding != nil || complete else { continue }
            // A finding: the candidates again, made and kept this time.
            var kept = Found(stated: nil)
            _ = candidates(ctx, key: facts[i].key, part: facts[i].part, id: ids[i], family: Family(rawValue: families[i]),
                           projects: projects, into: &kept)
            let list = kept.list
            guard !list.isEmpty else { continue }
            let f = facts[i]
            if let i = found.rounding, i < list.count {
                ctx.compare("T-AMOUNT", expected: list[i].term, found: stated,
                            whatZH: "第 \(f.line) 行说明中的 \(f.key) 应等于 \(list[i].name(ctx))",
                            whatEN: "narrative line \(f.line) \(f.key) should equal \(list[i].name(ctx))",
                            refs: [FindingRef(line: f.line), list[i].ref(ctx)])
                continue
            }
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

    /// The position of the nearest fact with key number `key` after the first fact equal to
    /// `facts[start]`, before the next fact with key number `stop` (keys by `id`).
    static func following(_ facts: [Fact], _ ids: [Int], key: Int, from start: Int, stop: Int) -> Int? {
        // By position (no Fact copied while walking); the line (an integer) first: most facts
        // differ there, before any text. (The first equal fact is at `start` at the latest.)
        let line = facts[start].line
        var i = 0
        while i < start && !(facts[i].line == line && facts[i] == facts[start]) { i += 1 }
        i += 1
        while i < facts.count {
            if ids[i] == stop { return nil }
            if ids[i] == key { return i }
            i += 1
        }
        return nil
    }

    /// `RuleTables.factCompositions` by key numbers (looked up once, not per document).
    static let compositionIDs: [(total: Int, parts: [Int])] = RuleTables.factCompositions.map { (id($0.total), $0.parts.map(id)) }

    /// Totals and their components stated together: Σ component changes = total change.
    static func compositions(_ ctx: Context, _ facts: [Fact], _ ids: [Int]) {
        // Facts by position (a Fact is copied only for a finding), the parts' positions in one
        // list emptied for each total (its storage kept).
        var parts: [Int] = []
        for (totalID, partIDs) in compositionIDs {
            for ti in facts.indices where ids[ti] == totalID {
                guard let tc = facts[ti].change else { continue }
                while !parts.isEmpty { parts.removeLast() }
                let line = facts[ti].line
                for k in partIDs {
                    // Same line first (a sentence may list the part before its total), then after.
                    let sameLine = facts.indices.first { facts[$0].line == line && ids[$0] == k && facts[$0] != facts[ti] }
                    if let p = sameLine ?? following(facts, ids, key: k, from: ti, stop: totalID) {
                        parts.append(p)
                    }
                }
                guard !parts.isEmpty, parts.allSatisfy({ facts[$0].change != nil }) else { continue }
                // The parts must make up the whole: Σ values = total value.
                // Σ values and Σ changes of the narrative terms, added as `Term.sum` adds them (the
                // same additions in the same order, nil on any overflow), without a list of terms.
                var sumV: Term? = Term.zero, sumC: Term? = Term.zero
                for p in parts {
                    if let v = ctx.narrative(facts[p].value) { sumV = sumV?.plus(v) }
                }
                guard let tv = ctx.narrative(facts[ti].value), let sumV, sumV.agreement(with: tv) != .mismatch else { continue }
                for p in parts {
                    if let c = facts[p].change.flatMap({ ctx.narrative($0) }) { sumC = sumC?.plus(c) }
                }
                guard let sumC, let total = ctx.narrative(tc) else { continue }
                // (The list and the lines are written only for a finding, straight into its message.)
                let ps = parts
                func list(_ m: inout TextBuffer) {
                    for (k, p) in ps.enumerated() {
                        if k > 0 { m.add(" + ") }
                        m.add(facts[p].key)
                        m.add(" ")
                        if let c = facts[p].change { m.add(c) }
                    }
                }
                func lines(_ m: inout TextBuffer, _ separator: String) {
                    for (k, p) in ps.enumerated() {
                        if k > 0 { m.add(separator) }
                        m.add(facts[p].line)
                    }
                }
                ctx.compare("T-CHANGE", expected: total, found: sumC, what: { m, english in
                    if english {
                        m.add("the changes of the parts (")
                        list(&m)
                        m.add(") on lines ")
                        lines(&m, ", ")
                        m.add(" should add up to the change of ")
                        m.add(facts[ti].key)
                        m.add(" on line ")
                        m.add(line)
                    } else {
                        m.add("第 ")
                        lines(&m, "、")
                        m.add(" 行各组成部分的增减额之和（")
                        list(&m)
                        m.add("）应等于第 ")
                        m.add(line)
                        m.add(" 行 ")
                        m.add(facts[ti].key)
                        m.add(" 的增减额")
                    }
                }, refs: [FindingRef(line: line)] + ps.map { FindingRef(line: facts[$0].line) },
                   adviceZH: "请核对各项增减额与总额的增减额。", adviceEN: "Check the stated changes.")
            }
        }
    }

    /// Runs of function or economic items with changes: Σ changes = the change of the total they make up.
    static func groups(_ ctx: Context, _ facts: [Fact], _ ids: [Int], _ keyFamilies: [Int]) {
        // Each fact's family once, as a number, read by position (no Fact copied, no family
        // String built): -1 none, 0 `func.`, 1 + k `econ.` with the k-th distinct `part` met
        // (`"econ." + part` are equal exactly when the parts are: the prefix ends in a starter).
        var parts: [String] = []
        var families = [Int](filled: -1, count: facts.count)
        for i in facts.indices {
            // (The key's family as `run` read it.)
            if keyFamilies[i] == Family.function.rawValue {
                families[i] = 0
            } else if keyFamilies[i] == Family.econ.rawValue {
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
        // (Facts read in place, by position: a Fact is copied only for a finding.)
        let changeTotalIDs = changeTotalIDs
        for range in runs {
            guard range.allSatisfy({ facts[$0].change != nil }) else { continue }
            let firstLine = facts[range.lowerBound].line
            // Σ values and Σ changes, added as `Term.sum` of the narrative terms adds them (the
            // same additions in the same order, nil on any overflow), without a list of terms.
            var sumV: Term? = Term.zero, sumC: Term? = Term.zero
            for i in range {
                if let v = ctx.narrative(facts[i].value) { sumV = sumV?.plus(v) }
            }
            for i in range {
                if let c = facts[i].change.flatMap({ ctx.narrative($0) }) { sumC = sumC?.plus(c) }
            }
            guard let sumV, let sumC else { continue }
            let family = families[range.lowerBound]
            let part = family >= 1 ? parts[family - 1] : nil
            // The keys the total may have (no list built per run).
            let kind = partKind(part)
            let only = kind == 1 ? keyIDs.expenditureBasic : kind == 2 ? keyIDs.expenditureProject : nil
            // The nearest preceding total whose value the run makes up (the last such fact).
            // (The facts read in place, the key number first: a `let f = facts[i]` copied every
            // fact passed, its strings retained and released.)
            let total = facts.indices.reversed().first { i in
                (only.map { ids[i] == $0 } ?? changeTotalIDs.contains(ids[i])) && facts[i].line <= firstLine && facts[i].change != nil
                    && (ctx.narrative(facts[i].value).map { sumV.agreement(with: $0) != .mismatch } ?? false)
            }
            guard let total, let tc = facts[total].change, let tt = ctx.narrative(tc) else { continue }
            // (The list and the lines are written only for a finding, straight into its message;
            // the lines worked out once for both its message and its places.)
            func list(_ m: inout TextBuffer) {
                for i in range {
                    if i > range.lowerBound { m.add(", ") }
                    // The key after its prefix (`dropFirst(5)`) as a String: the message stays text
                    // known to be valid UTF-8, not read again when it is made a String.
                    m.add(keyFamilies[i] == Family.econ.rawValue ? FastText.after(facts[i].key, prefix: "econ.")
                                                                 : FastText.after(facts[i].key, prefix: "func."))
                    m.add(" ")
                    if let c = facts[i].change { m.add(c) }
                }
            }
            var itemLines: [Int]?
            func distinct() -> [Int] {
                if let l = itemLines { return l }
                let l = distinctLines(facts, range)
                itemLines = l
                return l
            }
            func lines(_ m: inout TextBuffer) {
                for (k, l) in distinct().enumerated() {
                    if k > 0 { m.add("、") }
                    m.add(l)
                }
            }
            let totalLine = facts[total].line
            ctx.compare("T-CHANGE", expected: tt, found: sumC, what: { m, english in
                if english {
                    m.add("the item changes on lines ")
                    lines(&m)
                    m.add(" (")
                    list(&m)
                    m.add(") should add up to the change of ")
                    m.add(facts[total].key)
                    m.add(" on line ")
                    m.add(totalLine)
                } else {
                    m.add("第 ")
                    lines(&m)
                    m.add(" 行各科目增减额之和（")
                    list(&m)
                    m.add("）应等于第 ")
                    m.add(totalLine)
                    m.add(" 行 ")
                    m.add(facts[total].key)
                    m.add(" 的增减额")
                }
            }, refs: [FindingRef(line: totalLine)] + distinct().map { FindingRef(line: $0) },
               adviceZH: "请核对各科目的增减额与总额的增减额。", adviceEN: "Check the item changes against the total change.")
        }
    }

    static let changeTotalIDs = RuleTables.changeTotals.map(id)

    /// The lines of `facts[range]`, each once, ascending (`Array(Set(lines)).sorted()`).
    static func distinctLines(_ facts: [Fact], _ range: Range<Int>) -> [Int] {
        var lines = range.map { facts[$0].line }
        lines.sort()
        var kept = 0
        for l in lines where kept == 0 || lines[kept - 1] != l {
            lines[kept] = l
            kept += 1
        }
        lines.removeLast(lines.count - kept)
        return lines
    }

    // MARK: T-SHARE

    /// The whole a fact's share is of: from the words printed after 占 (`RuleTables.shareBases`),
    /// nil where they name nothing checkable. A fact without those words (a document exported
    /// before `share_of` existed) falls back to the words around its amount.
    /// The words are looked for in one pass over the text each (`WordSet`), not one search per
    /// word; the first word of the list the text includes decides, as before.
    static func shareWhole(of f: Fact) -> String? {
        if let base = f.shareOf {
            let found = shareBaseWords.present(base)
            guard found != 0 else { return nil }
            let entry = RuleTables.shareBases[found.trailingZeroBitCount]
            return entry.whole.isEmpty ? nil : entry.whole
        }
        let text = f.text ?? ""
        let found = shareTextWords.present(text)
        if found & 1 != 0 { return "general" }
        if found & 2 != 0 || text.isEmpty { return Key.fiscalTotal }
        if found & 4 != 0 { return Key.expenditureTotal }
        if found & 8 != 0 { return Key.incomeTotal }
        return Key.fiscalTotal
    }
    static let shareBaseWords = WordSet(RuleTables.shareBases.map(\.words))
    /// The words `shareWhole` looks for around an amount, in the order it tests them.
    static let shareTextWords = WordSet(["一般公共预算", "财政拨款", "支出", "收入"])

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
            } else if denomKey == "general" || denomID == keyIDs.fiscalTotal || denomID == keyIDs.expenditureTotal
                        || denomID == keyIDs.incomeTotal,
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
        let adminCost = keyIDs.adminCost
        // (Most documents state no such figure: nothing is looked up for them.)
        guard ids.contains(adminCost), let be = ctx.firstIndex(.basicEconomic) else { return }
        // The 合计 row's 公用经费, else the sum of rows 302 and 310 (合计 column). Where it was
        // read is named and placed only for a finding.
        let total = be.totalIndex.flatMap { r in be.value(r, Column.publicFunds).flatMap { Term($0) }.map { (row: r, term: $0) } }
        let rows = total == nil ? ["302", "310"].compactMap { be.rowIndex(Code($0)) } : []
        guard let expected = total?.term ?? (rows.isEmpty ? nil : Term.sum(rows.compactMap { be.value($0, Column.total).flatMap { Term($0) } }))
        else { return }
        // (Written straight into a finding's message.)
        func what(_ m: inout TextBuffer) {
            m.add(be.table.title)
            if total != nil {
                m.add(" 合计 公用经费")
                return
            }
            m.add(" ")
            var first = true
            for r in rows {
                guard let code = be.table.rows[r].code else { continue }
                if !first { m.add(" + ") }
                m.add(code)
                first = false
            }
        }
        func refs() -> [FindingRef] {
            if let total { return [ctx.ref(be, total.row, Column.publicFunds)] }
            return rows.map { ctx.ref(be, $0, Column.total) }
        }
        // (Facts read in place: a Fact is copied for nothing.)
        for i in facts.indices where ids[i] == adminCost {
            guard let stated = ctx.narrative(facts[i].value) else { continue }
            let line = facts[i].line
            ctx.compare("T-ADMIN", expected: expected, found: stated, severity: .warning, what: { m, english in
                if english {
                    m.add("administrative operating cost on line ")
                    m.add(line)
                    m.add(" should equal ")
                } else {
                    m.add("第 ")
                    m.add(line)
                    m.add(" 行机关运行经费应等于")
                }
                what(&m)
            }, refs: [FindingRef(line: line)] + refs(),
               adviceZH: "各地口径不同，请确认机关运行经费的统计范围。", adviceEN: "Definitions differ by region; confirm what the figure covers.")
        }
    }
}
