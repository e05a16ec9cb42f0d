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

    static func sum(_ terms: [Term]) -> Term? {
        guard let a = Amount.sum(terms.map(\.amount)), let i = Interval.sum(terms.map(\.interval)) else { return nil }
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

/// Shared state of one reconciliation run: the document, the message language, the findings.
final class Context {
    let doc: BudgetDocument
    let language: ReportLanguage
    private(set) var findings: [Finding] = []
    /// The precision (decimals) most table amounts are printed with; narrative amounts that drop
    /// trailing zeros are read at it.
    let tablePrecision: Int

    init(doc: BudgetDocument, language: ReportLanguage) {
        self.doc = doc
        self.language = language
        var counts: [Int: Int] = [:]
        for t in doc.tables {
            for r in t.rows {
                for v in r.values.values { counts[v.decimals, default: 0] += 1 }
            }
        }
        tablePrecision = counts.max { a, b in a.value == b.value ? a.key < b.key : a.value < b.value }?.key ?? 2
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

    private var totalRows: [String: Row?] = [:]

    /// The whole-table total row (合计/总计, no code).
    func totalRow(_ table: Table?) -> Row? {
        guard let table else { return nil }
        let key = "\(table.kind.rawValue)#\(table.line)#\(table.title)"
        if let cached = totalRows[key] { return cached }
        let r = table.rows.first { $0.code == nil && $0.side == nil && RuleTables.totalLabels.contains(Label.normalized($0.label)) }
        totalRows[key] = .some(r)
        return r
    }

    /// The recognised lines of the first summary and fiscal_summary tables.
    lazy var summarySides: TableRules.TwoSided? = first(.summary).map(TableRules.TwoSided.init)
    lazy var fiscalSides: TableRules.TwoSided? = first(.fiscalSummary).map(TableRules.TwoSided.init)

    func ref(_ table: Table, _ row: Row?, _ column: String?) -> FindingRef {
        FindingRef(table: table.kind.rawValue, code: row?.code, label: row.map { Label.normalized($0.label) },
                   column: column, line: row?.line ?? table.line)
    }

    /// The tables of a kind that carry numbers (declared-empty tables excluded).
    func filled(_ kind: TableKind) -> [Table] { doc.tables(kind).filter { !$0.empty && !$0.rows.isEmpty } }
    func first(_ kind: TableKind) -> Table? { filled(kind).first }

    /// The amount a function table gives a code: the row with that code, else the sum of the
    /// top-most rows under it (a table that prints only 项 rows still yields its 类 amount).
    func functionAmount(_ table: Table, code: String, column: String) -> Term? {
        if let r = table.row(code: code) { return term(r, column) ?? (r.values.isEmpty ? nil : .blank) }
        let under = table.rows.filter { r in
            guard let c = r.code, c.hasPrefix(code), c != code else { return false }
            return !table.rows.contains { o in
                guard let oc = o.code else { return false }
                return oc != c && oc.hasPrefix(code) && c.hasPrefix(oc)
            }
        }
        if under.isEmpty { return nil }
        return Term.sum(under.map { term($0, column) ?? .blank })
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
