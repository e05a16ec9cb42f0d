import GoujiModel

/// The language of finding messages and of the human report.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case zh, en
}

/// Reconciles one `budget-doc/1` document against the catalogue of CHECKS.md (every rule but
/// `Y-CHANGE`, which needs the store). Pure: the same document always yields the same findings in
/// the same order (catalogue order, then document order).
public struct Reconciler: Sendable {
    public let language: ReportLanguage

    public init(language: ReportLanguage = .zh) {
        self.language = language
    }

    /// Every finding of the document, in a stable order.
    public func findings(for doc: BudgetDocument) -> [Finding] {
        let ctx = Context(doc: doc, language: language)
        TableRules.run(ctx)          // R-COLS, R-TREE, R-BALANCE
        CrossRules.run(ctx)          // X-TOTAL, X-FUNC, X-BASIC, X-ECON-FUNC, X-3PUB, X-PROJ
        TextRules.run(ctx)           // T-AMOUNT, T-CHANGE, T-SHARE, T-ADMIN
        DocumentRules.run(ctx)       // D-TABLES, D-YEAR, D-UNIT, D-EMPTY, D-TEXT
        return ctx.findings
    }

    /// The document with `findings` filled in (what `--json` exports).
    public func reconciled(_ doc: BudgetDocument) -> BudgetDocument {
        var d = doc
        d.findings = findings(for: doc)
        return d
    }
}

/// One side of a comparison: a printed amount and the interval it stands for.
struct Term {
    let amount: Amount
    let interval: Interval

    /// A printed amount read at `readAt` decimals (never fewer than printed).
    init?(_ amount: Amount, readAt: Int? = nil) {
        guard let i = Interval(printed: amount, readAt: readAt ?? amount.decimals) else { return nil }
        self.amount = amount
        self.interval = i
    }

    init(amount: Amount, interval: Interval) {
        self.amount = amount
        self.interval = interval
    }

    /// A blank cell: exactly zero.
    static let blank = Term(amount: .zero, interval: .zero)
    /// The empty sum (what `sum([])` gives).
    static let zero = Term(amount: .zero, interval: .zero)

    /// One more term of a sum, added as `sum` adds (nil on overflow).
    func plus(_ other: Term) -> Term? {
        guard let a = amount.adding(other.amount), let i = interval.adding(other.interval) else { return nil }
        return Term(amount: a, interval: i)
    }

    static func sum(_ terms: [Term]) -> Term? {
        // Amount.sum and Interval.sum, in one loop without intermediate arrays.
        var a = Amount.zero
        var i = Interval.zero
        for t in terms {
            guard let x = a.adding(t.amount) else { return nil }
            a = x
        }
        for t in terms {
            guard let y = i.adding(t.interval) else { return nil }
            i = y
        }
        return Term(amount: a, interval: i)
    }

    func minus(_ other: Term) -> Term? {
        guard let a = amount.subtracting(other.amount), let i = interval.subtracting(other.interval) else { return nil }
        return Term(amount: a, interval: i)
    }

    func agreement(with other: Term) -> Agreement {
        Agreement.of(left: interval, strictLeft: amount, right: other.interval, strictRight: other.amount)
    }
}

/// A row code with what prefix tests need: its UTF-8 bytes and length, computed once.
struct Code {
    let text: String
    let bytes: [UInt8]
    /// Length in characters (`String.count`).
    let length: Int
    let ascii: Bool

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
        ascii = bytes.allSatisfy { $0 < 0x80 }
        length = ascii ? bytes.count : text.count
    }

    /// `text.hasPrefix(p.text)`: a byte comparison for ASCII codes (the usual digits).
    func hasPrefix(_ p: Code) -> Bool {
        guard ascii && p.ascii else { return text.hasPrefix(p.text) }
        let n = p.bytes.count
        guard bytes.count >= n else { return false }
        var i = 0
        while i < n {
            if bytes[i] != p.bytes[i] { return false }
            i += 1
        }
        return true
    }
}

/// What the rules ask of one table, computed once per run: normalised labels, rows by code and
/// by label, the total row, the columns, the code depth. Rules query it instead of scanning rows.
final class TableIndex {
    let table: Table
    /// `Label.normalized` of each row's label, by row index.
    let labels: [String]
    /// The first row index of each code.
    let byCode: [String: Int]
    /// The whole-table total row (合计/总计, no code, no side), and its position.
    let total: Row?
    let totalIndex: Int?
    /// Position of each key of `columns`.
    let columnID: [String: Int]
    /// Every cell, row-major: `cells[row * columns.count + column]`.
    let cells: [Amount?]
    /// Every column key the header or a row carries.
    let present: Set<String>
    /// `present` in print order: known keys first, then the others sorted.
    let columns: [String]
    /// Each row's code, by row index (nil for a row without one).
    let codes: [Code?]
    /// The longest code (in characters); 0 without codes.
    let depth: Int
    /// `functionAmount`'s top-most rows under a code the table does not print.
    var under: [String: [Int]] = [:]

    init(_ t: Table, norm: (String) -> String) {
        table = t
        var labels: [String] = []
        labels.reserveCapacity(t.rows.count)
        var byCode: [String: Int] = [:]
        byCode.reserveCapacity(t.rows.count)
        var totalIndex: Int?
        // Distinct column keys in first-seen order (a short scan: cheaper than hashing every cell).
        var keys: [String] = []
        for c in t.columns where !keys.contains(c) { keys.append(c) }
        var depth = 0
        var codes: [Code?] = []
        codes.reserveCapacity(t.rows.count)
        // Rows are read in place, field by field (a `for r in rows` copies every row).
        t.rows.withUnsafeBufferPointer { rows in
            for i in rows.indices {
                let code = rows[i].code
                codes.append(code.map(Code.init))
                let l = norm(rows[i].label)
                labels.append(l)
                if let c = code {
                    if byCode[c] == nil { byCode[c] = i }
                    depth = max(depth, codes[i]?.length ?? 0)
                } else if totalIndex == nil && rows[i].side == nil && TableIndex.isTotal(l) {
                    totalIndex = i
                }
                for k in rows[i].values.keys where !keys.contains(k) { keys.append(k) }
            }
        }
        self.labels = labels
        self.byCode = byCode
        self.totalIndex = totalIndex
        total = totalIndex.map { t.rows[$0] }
        let present = Set(keys)
        self.present = present
        let known = Column.all.filter { keys.contains($0) }
        let columns = known.count == keys.count ? known : known + present.subtracting(known).sorted()
        self.columns = columns
        var columnID: [String: Int] = [:]
        columnID.reserveCapacity(columns.count)
        for (i, c) in columns.enumerated() { columnID[c] = i }
        var cells = [Amount?](repeating: nil, count: t.rows.count * columns.count)
        t.rows.withUnsafeBufferPointer { rows in
            for i in rows.indices {
                for (k, v) in rows[i].values {
                    if let c = columns.firstIndex(of: k) { cells[i * columns.count + c] = v }
                }
            }
        }
        self.columnID = columnID
        self.cells = cells
        self.depth = depth
        self.codes = codes
    }

    /// `RuleTables.totalLabels.contains(label)`, by comparison: hashing Chinese text is slower.
    static func isTotal(_ label: String) -> Bool { totalLabels.contains(label) }
    private static let totalLabels = Array(RuleTables.totalLabels)

    func row(code: String) -> Row? { byCode[code].map { table.rows[$0] } }
    /// The amount of row `row` in column `columns[column]`.
    func cell(_ row: Int, _ column: Int) -> Amount? { cells[row * columns.count + column] }
    /// The first row whose normalised label is `label` (already normalised). A scan: labels are
    /// looked up a few times per table, and hashing Chinese text costs more than comparing it.
    func row(normalized label: String) -> Row? { labels.firstIndex(of: label).map { table.rows[$0] } }

    /// Each row's function class (类) code by its name (two-sided tables print names, not codes).
    lazy var functionClasses: [String?] = labels.map { RuleTables.functionClassTable[$0] }

    /// The recognised lines of a two-sided table, worked out once.
    lazy var sides = TableRules.TwoSided(self)
}

/// Shared state of one reconciliation run: the document, the message language, the findings,
/// and the per-table indexes the rules query.
final class Context {
    let doc: BudgetDocument
    let language: ReportLanguage
    private(set) var findings: [Finding] = []
    /// The precision (decimals) most table amounts are printed with; narrative amounts that drop
    /// trailing zeros are read at it.
    let tablePrecision: Int
    /// One index per document table, in document order.
    private(set) var indexes: [TableIndex] = []
    /// Document table positions by source line (to find a table's index from the table).
    private var byLine: [Int: [Int]] = [:]
    /// The first filled table of each kind.
    /// By `TableKind.allCases` position (an array: hashing a kind hashes its raw string).
    private var firstFilled: [Int?] = Array(repeating: nil, count: TableKind.allCases.count)
    private var firstOfKind: [Int?] = Array(repeating: nil, count: TableKind.allCases.count)

    /// `TableKind.allCases` is computed (a new array) on every access: keep one.
    private static let kinds = TableKind.allCases

    private static func ordinal(_ kind: TableKind) -> Int {
        kinds.firstIndex(of: kind) ?? 0
    }

    init(doc: BudgetDocument, language: ReportLanguage) {
        self.doc = doc
        self.language = language
        // The most frequent number of decimals (ties: the larger), counted in an array by decimals.
        var counts = [Int](repeating: 0, count: Amount.maxDecimals + 1)
        var others: [Int: Int] = [:]
        for t in doc.tables {
            for r in t.rows {
                for v in r.values.values {
                    if counts.indices.contains(v.decimals) { counts[v.decimals] += 1 } else { others[v.decimals, default: 0] += 1 }
                }
            }
        }
        for (d, n) in counts.enumerated() where n > 0 { others[d] = n }
        tablePrecision = others.max { a, b in a.value == b.value ? a.key < b.key : a.value < b.value }?.key ?? 2
        var indexes: [TableIndex] = []
        indexes.reserveCapacity(doc.tables.count)
        for (i, t) in doc.tables.enumerated() {
            indexes.append(TableIndex(t, norm: norm))
            byLine[t.line, default: []].append(i)
            let k = Context.ordinal(t.kind)
            if !t.empty && !t.rows.isEmpty && firstFilled[k] == nil { firstFilled[k] = i }
            if firstOfKind[k] == nil { firstOfKind[k] = i }
        }
        self.indexes = indexes
    }

    /// `Label.normalized` (row labels are normalised once, in their table's index). Labels it
    /// changes are few and costly to normalise: those are remembered.
    func norm(_ label: String) -> String {
        if Label.isNormal(label) { return label }
        if let n = normalizedLabels[label] { return n }
        let n = Label.normalized(label)
        normalizedLabels[label] = n
        return n
    }
    private var normalizedLabels: [String: String] = [:]

    /// The index of a document table.
    func index(_ t: Table) -> TableIndex {
        // Most tables the rules hold are the first filled one of their kind.
        if let i = firstFilled[Context.ordinal(t.kind)], indexes[i].table.line == t.line, indexes[i].table.title == t.title {
            return indexes[i]
        }
        if let candidates = byLine[t.line] {
            for i in candidates where doc.tables[i].kind == t.kind && (candidates.count == 1 || doc.tables[i].title == t.title) {
                return indexes[i]
            }
        }
        return TableIndex(t, norm: norm)
    }

    func text(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    func add(_ rule: String, _ severity: Severity, zh: String, en: String, refs: [FindingRef], expected: String, found: String) {
        findings.append(Finding(rule: rule, severity: severity, message: text(zh, en), refs: refs, expected: expected, found: found))
    }

    /// Emits the finding a comparison calls for: nothing when the printed digits agree, an `info`
    /// when only the rounding intervals agree (尾差), `severity` when they do not.
    /// `what` names the relation; it is followed by the compared values.
    @discardableResult
    func compare(_ rule: String, expected: Term, found: Term, severity: Severity = .error,
                 whatZH makeZH: @autoclosure () -> String, whatEN makeEN: @autoclosure () -> String,
                 refs makeRefs: @autoclosure () -> [FindingRef],
                 expectedText makeExpected: @autoclosure () -> String? = nil,
                 adviceZH: String? = nil, adviceEN: String? = nil) -> Agreement {
        let a = expected.agreement(with: found)
        if a == .exact { return a }
        // Messages and places are built only for a finding.
        let exp = makeExpected() ?? expected.amount.text
        let refs = makeRefs()
        let whatZH = language == .zh ? makeZH() : ""
        let whatEN = language == .en ? makeEN() : ""
        switch a {
        case .exact:
            break
        case .rounding:
            add(rule, .info,
                zh: "\(whatZH)：应为 \(exp)，实为 \(found.amount.text)，差额在四舍五入区间内（尾差），无需更正。",
                en: "\(whatEN): expected \(exp), found \(found.amount.text); the difference lies within the rounding intervals (rounding difference), no correction needed.",
                refs: refs, expected: exp, found: found.amount.text)
        case .mismatch:
            let diff = found.amount.subtracting(expected.amount)?.text ?? "?"
            add(rule, severity,
                zh: "\(whatZH)：应为 \(exp)，实为 \(found.amount.text)（差 \(diff)），超出四舍五入区间。\(adviceZH ?? "请核对并更正其中一方。")",
                en: "\(whatEN): expected \(exp), found \(found.amount.text) (difference \(diff)), beyond rounding. \(adviceEN ?? "Check both figures and correct the wrong one.")",
                refs: refs, expected: exp, found: found.amount.text)
        }
        return a
    }

    // MARK: Table helpers

    func term(_ row: Row?, _ column: String) -> Term? {
        guard let v = row?.values[column] else { return nil }
        return Term(v)
    }

    /// The whole-table total row (合计/总计, no code).
    func totalRow(_ table: Table?) -> Row? {
        guard let table else { return nil }
        return index(table).total
    }

    /// The first row with this code.
    func row(_ table: Table, code: String) -> Row? { index(table).row(code: code) }

    /// The first row whose label, normalised, equals this one (`Table.row(label:)`).
    func row(_ table: Table, label: String) -> Row? { index(table).row(normalized: norm(label)) }

    /// The recognised lines of the first summary and fiscal_summary tables.
    /// (Looked up once: the text rules ask for them for every fact.)
    lazy var summarySides: TableRules.TwoSided? = first(.summary).map { index($0).sides }
    lazy var fiscalSides: TableRules.TwoSided? = first(.fiscalSummary).map { index($0).sides }

    func ref(_ table: Table, _ row: Row?, _ column: String?) -> FindingRef {
        FindingRef(table: table.kind.rawValue, code: row?.code, label: row.map { norm($0.label) },
                   column: column, line: row?.line ?? table.line)
    }

    /// The first table of a kind that carries numbers (declared-empty tables excluded).
    func first(_ kind: TableKind) -> Table? { firstFilled[Context.ordinal(kind)].map { doc.tables[$0] } }
    /// The first table of a kind, filled or not.
    func firstAny(_ kind: TableKind) -> Table? { firstOfKind[Context.ordinal(kind)].map { doc.tables[$0] } }

    /// The amount a function table gives a code: the row with that code, else the sum of the
    /// top-most rows under it (a table that prints only 项 rows still yields its 类 amount).
    func functionAmount(_ table: Table, code: String, column: String) -> Term? {
        let x = index(table)
        return functionAmount(x, code: code, column: x.columnID[column])
    }

    /// `functionAmount` on a table's index, the column given by its position in `x.columns`
    /// (nil when the table has no such column).
    func functionAmount(_ x: TableIndex, code: String, column: Int?) -> Term? {
        func term(_ i: Int) -> Term? { column.flatMap { x.cell(i, $0) }.flatMap { Term($0) } }
        if let i = x.byCode[code] { return term(i) ?? (x.table.rows[i].values.isEmpty ? nil : .blank) }
        let under: [Int]
        if let u = x.under[code] {
            under = u
        } else {
            // Rows strictly under `code` with no other printed code between them and it.
            let q = Code(code)
            let below = x.codes.indices.filter { i in
                guard let c = x.codes[i] else { return false }
                return c.hasPrefix(q) && c.text != code
            }
            under = below.filter { i in
                guard let c = x.codes[i] else { return false }
                return !below.contains { j in
                    guard let oc = x.codes[j] else { return false }
                    return oc.text != c.text && c.hasPrefix(oc)
                }
            }
            x.under[code] = under
        }
        if under.isEmpty { return nil }
        return Term.sum(under.map { term($0) ?? .blank })
    }

    /// A narrative amount as a term, read at the tables' precision.
    func narrative(_ amount: Amount, like table: Amount? = nil) -> Term? {
        Term(amount, readAt: max(table?.decimals ?? tablePrecision, amount.decimals))
    }
}

extension Severity {
    var labelZH: String {
        switch self {
        case .error: "错误"
        case .warning: "警告"
        case .info: "提示"
        }
    }
}

/// A `[String: V]` of `RuleTables` looked up by UTF-8 bytes where that gives the same answer:
/// hashing Chinese text (Unicode-normalising) costs far more than comparing a few byte strings
/// of the same length. Bytes decide only when the key and the label are both simple text (see
/// `DocumentRules.isSimple`: no scalar there composes, decomposes or is equivalent to another),
/// where canonical equality — what `String ==` and hashing use — is byte equality.
struct LabelTable<V: Sendable>: Sendable {
    let dictionary: [String: V]
    /// Keys by byte length; nil when some key is not simple (every lookup then hashes).
    private let byLength: [[(bytes: [UInt8], value: V)]]?

    init(_ d: [String: V]) {
        dictionary = d
        var buckets: [[(bytes: [UInt8], value: V)]] = []
        var simple = true
        // Sorted keys: which of several equal keys answers can never depend on hash order.
        for k in d.keys.sorted() {
            var key = k
            guard key.withUTF8(DocumentRules.isSimple), let v = d[k] else { simple = false; break }
            let b = Array(k.utf8)
            while buckets.count <= b.count { buckets.append([]) }
            buckets[b.count].append((b, v))
        }
        byLength = simple ? buckets : nil
    }

    subscript(_ label: String) -> V? {
        guard let byLength else { return dictionary[label] }
        var l = label
        let fast: V?? = l.withUTF8 { b -> V?? in
            guard DocumentRules.isSimple(b) else { return .none }
            guard b.count < byLength.count else { return .some(nil) }
            for e in byLength[b.count] {
                var i = 0
                while i < b.count && b[i] == e.bytes[i] { i += 1 }
                if i == b.count { return .some(e.value) }
            }
            return .some(nil)
        }
        if let fast { return fast }
        return dictionary[label]
    }
}

extension RuleTables {
    /// `functionClasses` and `expenditureNatureLines` for lookups by label.
    static let functionClassTable = LabelTable(functionClasses)
    static let expenditureNatureTable = LabelTable(expenditureNatureLines)
}
