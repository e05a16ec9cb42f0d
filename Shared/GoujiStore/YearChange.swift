import GRDB
import GoujiModel
import GoujiReconcile

/// Y-CHANGE (CHECKS.md): a stated year-on-year change must match the same unit's previous-year
/// document when the store holds it. Findings are stored with origin `store`, recomputed whenever
/// the document or its previous-year document arrives or is replaced.
enum YearChange {
    static let rule = "Y-CHANGE"

    /// The identity that links a unit's documents across years.
    struct UnitYear {
        var unitKey: String?
        var kind: String?
        var scope: String?
        var year: Int?
        init(unitKey: String?, kind: String?, scope: String?, year: Int?) {
            self.unitKey = unitKey
            self.kind = kind
            self.scope = scope
            self.year = year
        }
        init(_ doc: BudgetDocument) {
            self.init(unitKey: Store.unitKey(doc.unit), kind: doc.kind?.rawValue, scope: doc.scope?.rawValue,
                      year: doc.fiscalYear)
        }
    }

    enum Verdict: Equatable {
        case agrees
        /// Differs on the printed digits but the rounding intervals overlap (尾差).
        case rounding(implied: Amount)
        case mismatch(implied: Amount)

        var rank: Int {
            switch self {
            case .agrees: 0
            case .rounding: 1
            case .mismatch: 2
            }
        }
    }

    /// The one comparison Y-CHANGE makes: this year's value minus the stated change is what last
    /// year's value must have been; compare it with the previous document's value using the
    /// reconciliation's rounding intervals (each amount stands for v ± ½·10⁻ᵈ of its printed decimals).
    static func compare(current: Amount, change: Amount, previous: Amount) -> Verdict? {
        guard let implied = current.subtracting(change) else { return nil }
        if implied.sameValue(as: previous) { return .agrees }
        guard let value = Interval(printed: current), let stated = Interval(printed: change),
              let last = Interval(printed: previous), let lastYear = value.subtracting(stated) else {
            return .mismatch(implied: implied)
        }
        return lastYear.overlaps(last) ? .rounding(implied: implied) : .mismatch(implied: implied)
    }

    /// Recomputes the documents one year after `key` (their previous year is `key`).
    static func recheckSuccessors(of key: UnitYear, in db: Database) throws {
        guard let unitKey = key.unitKey, let year = key.year else { return }
        let ids = try Int64.fetchAll(db, sql: """
            SELECT id FROM documents WHERE unit_key = ? AND kind IS ? AND scope IS ? AND fiscal_year = ?
            """, arguments: [unitKey, key.kind, key.scope, year + 1])
        for id in ids { try recheck(doc: id, in: db) }
    }

    /// Replaces the Y-CHANGE findings of one document.
    static func recheck(doc id: Int64, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM findings WHERE doc = ? AND origin = 'store'").execute(arguments: [id])
        guard let meta = try GRDB.Row.fetchOne(db, sql: """
            SELECT unit_key, kind, scope, fiscal_year FROM documents WHERE id = ?
            """, arguments: [id]) else { return }
        guard let unitKey: String = meta[0], let year: Int = meta[3] else { return }
        let kind: String? = meta[1]
        let scope: String? = meta[2]

        let changed = try GRDB.Row.fetchAll(db, sql: """
            SELECT f.key, f.part, f.value, f.change, f.line, coalesce(f.unit, d.currency_unit) FROM facts f
            JOIN documents d ON d.id = f.doc WHERE f.doc = ? AND f.change IS NOT NULL ORDER BY f.idx
            """, arguments: [id])
        if changed.isEmpty { return }
        guard let previous = try GRDB.Row.fetchOne(db, sql: """
            SELECT id, doc_id FROM documents
            WHERE unit_key = ? AND kind IS ? AND scope IS ? AND fiscal_year = ? AND id != ?
            ORDER BY ingested_at DESC, id DESC LIMIT 1
            """, arguments: [unitKey, kind, scope, year - 1, id]) else { return }
        let prevID: Int64 = previous[0]
        let prevDocID: String = previous[1]

        // Every value the previous narrative states for a key (it may state one several times).
        var prevFacts: [String: [Amount]] = [:]
        // Both years' amounts are compared in `Store.commonUnit` (one year may print 元, the other 万元).
        for r in try GRDB.Row.fetchAll(db, sql: """
            SELECT f.key, f.part, f.value, coalesce(f.unit, d.currency_unit) FROM facts f JOIN documents d ON d.id = f.doc
            WHERE f.doc = ? ORDER BY f.idx
            """, arguments: [prevID]) {
            let key: String = r[0]
            let part: String? = r[1]
            let k = key + "|" + (part ?? "")
            if let p = Amount(r[2] as String) {
                let v = Store.inCommonUnit(p, unit: r[3])
                if !(prevFacts[k] ?? []).contains(v) { prevFacts[k, default: []].append(v) }
            }
        }
        var prevTable: PreviousTables?

        var findings: [Finding] = []
        var seen = Set<String>()
        for r in changed {
            let key: String = r[0]
            let part: String? = r[1]
            let line: Int = r[4]
            guard let printedValue = Amount(r[2] as String), let printedChange = Amount(r[3] as String) else { continue }
            let value = Store.inCommonUnit(printedValue, unit: r[5])
            let change = Store.inCommonUnit(printedChange, unit: r[5])
            var candidates = prevFacts[key + "|" + (part ?? "")] ?? []
            var tableRef: FindingRef?
            if candidates.isEmpty {
                if prevTable == nil { prevTable = try PreviousTables(doc: prevID, in: db) }
                if let (v, ref) = prevTable?.value(forFact: key, part: part) {
                    candidates = [v]
                    tableRef = ref
                }
            }
            // The best agreement over the values last year's document states for the key.
            var best: (Amount, Verdict)?
            for candidate in candidates {
                guard let v = compare(current: value, change: change, previous: candidate) else { continue }
                if best == nil || v.rank < (best?.1.rank ?? 3) { best = (candidate, v) }
            }
            guard let (prev, verdict) = best else { continue }
            let dedupe = "\(key)|\(part ?? "")|\(value.text)|\(change.text)"
            let where_ = tableRef.map { "its \($0.table ?? "") table" } ?? "its narrative"
            switch verdict {
            case .agrees:
                continue
            case .rounding(let implied):
                guard seen.insert(dedupe).inserted else { continue }
                findings.append(Finding(
                    rule: rule, severity: .info,
                    message: "\(key): \(year) 年 \(value.text) 减去所述变化 \(change.text) 得 \(implied.text)，上年文档（\(year - 1) 年，\(where_)）为 \(prev.text)；差在舍入范围内（尾差）。Rounding difference only against previous-year document \(prevDocID).",
                    refs: [FindingRef(line: line)] + (tableRef.map { [$0] } ?? []),
                    expected: prev.text, found: implied.text))
            case .mismatch(let implied):
                guard seen.insert(dedupe).inserted else { continue }
                findings.append(Finding(
                    rule: rule, severity: .error,
                    message: "\(key): \(year) 年 \(value.text) 减去所述变化 \(change.text) 得 \(implied.text)，但上年文档（\(year - 1) 年，\(where_)）为 \(prev.text)。The stated year-on-year change does not match previous-year document \(prevDocID): check the change or last year's figure.",
                    refs: [FindingRef(line: line)] + (tableRef.map { [$0] } ?? []),
                    expected: prev.text, found: implied.text))
            }
        }
        try Store.insertFindings(findings, doc: id, origin: "store", in: db)
    }

    /// The previous document's table values a fact key restates, for keys its narrative did not state.
    struct PreviousTables {
        /// kind → rows (code, label key, column → amount), first table of each kind only.
        var rows: [String: [(code: String?, label: String, values: [String: Amount])]] = [:]

        init(doc: Int64, in db: Database) throws {
            var current: (kind: String, table: Int, row: Int)?
            for r in try GRDB.Row.fetchAll(db, sql: """
                SELECT c.table_kind, c.table_idx, c.row_idx, c.code, c.label, c.col, c.amount,
                       coalesce(t.currency_unit, d.currency_unit) FROM cells c
                JOIN tables t ON t.doc = c.doc AND t.idx = c.table_idx JOIN documents d ON d.id = c.doc
                WHERE c.doc = ? AND c.first_of_kind = 1
                  AND c.table_kind IN ('income', 'expenditure', 'basic_economic', 'three_public')
                ORDER BY c.table_idx, c.row_idx
                """, arguments: [doc]) {
                let kind: String = r[0]
                let t: Int = r[1]
                let ri: Int = r[2]
                guard let printed = Amount(r[6] as String) else { continue }
                let amount = Store.inCommonUnit(printed, unit: r[7])
                if current?.kind != kind || current?.table != t || current?.row != ri {
                    rows[kind, default: []].append((r[3], Label.normalized(r[4] as String), [:]))
                    current = (kind, t, ri)
                }
                let last = rows[kind, default: []].count - 1
                rows[kind]?[last].values[r[5] as String] = amount
            }
        }

        func totalRow(_ kind: String) -> [String: Amount]? {
            rows[kind]?.first { $0.code == nil && ($0.label.contains("合计") || $0.label.contains("总计")) }?.values
        }

        func value(forFact key: String, part: String?) -> (Amount, FindingRef)? {
            func ref(_ kind: String, code: String? = nil, label: String? = nil, _ column: String) -> FindingRef {
                FindingRef(table: kind, code: code, label: label, column: column)
            }
            switch key {
            case "income.total":
                return totalRow("income")?[Column.total].map { ($0, ref("income", label: "合计", Column.total)) }
            case "expenditure.total", "expenditure.basic", "expenditure.project":
                let column = key == "expenditure.total" ? Column.total : key == "expenditure.basic" ? Column.basic : Column.project
                return totalRow("expenditure")?[column].map { ($0, ref("expenditure", label: "合计", column)) }
            default:
                break
            }
            if key.hasPrefix("func."), part == nil {
                let code = String(key.dropFirst(5))
                guard code.allSatisfy(\.isNumber) else { return nil }
                return rows["expenditure"]?.first { $0.code == code }?.values[Column.total]
                    .map { ($0, ref("expenditure", code: code, Column.total)) }
            }
            if key.hasPrefix("econ."), part == nil || part == "basic" {
                let code = String(key.dropFirst(5))
                return rows["basic_economic"]?.first { $0.code == code }?.values[Column.total]
                    .map { ($0, ref("basic_economic", code: code, Column.total)) }
            }
            if key.hasPrefix("three_public.") {
                let items: [String: String] = [
                    "three_public.total": ThreePublicItem.total,
                    "three_public.outbound": ThreePublicItem.outbound,
                    "three_public.reception": ThreePublicItem.reception,
                    "three_public.vehicle": ThreePublicItem.vehicle,
                    "three_public.vehicle_purchase": ThreePublicItem.vehiclePurchase,
                    "three_public.vehicle_operation": ThreePublicItem.vehicleOperation,
                ]
                guard let label = items[key] else { return nil }
                let wanted = Label.normalized(label)
                return rows["three_public"]?.first { $0.label == wanted }?.values[Column.total]
                    .map { ($0, ref("three_public", label: label, Column.total)) }
            }
            return nil
        }
    }
}
