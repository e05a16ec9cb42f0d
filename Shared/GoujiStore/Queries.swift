import Foundation
import GRDB
import GoujiModel

extension Store {
    /// Answers a query. Every query reads through a read-only connection.
    public func execute(_ q: StoreQuery) throws -> QueryResponse {
        switch q {
        case .ls(let year, let unit): try ls(year: year, unit: unit)
        case .show(let doc, let table): try show(doc: doc, table: table)
        case .findings(let severity, let rule, let unit): try findings(severity: severity, rule: rule, unit: unit)
        case .sum(let code, let column, let year): try sum(code: code, column: column ?? Column.total, year: year)
        case .top(let code, let fact, let n): try top(code: code, fact: fact, n: n ?? 10)
        case .compare(let unit): try compare(unit: unit)
        case .sql(let text): try sql(text)
        case .export(let doc): try export(doc: doc)
        case .summary: try summary()
        }
    }

    /// The short form of a doc_id shown in tables (any unique prefix is accepted back).
    static func shortID(_ docID: String) -> String {
        let bytes = docID.utf8
        let start = bytes.starts(with: "sha256:".utf8) ? bytes.index(bytes.startIndex, offsetBy: 7) : bytes.startIndex
        let end = bytes.index(start, offsetBy: 12, limitedBy: bytes.endIndex) ?? bytes.endIndex
        // Hex digits (the usual case) are one byte each: slice the bytes.
        if bytes[start..<end].allSatisfy({ $0 < 0x80 }), end == bytes.endIndex || bytes[end] < 0x80,
           let short = String(bytes[start..<end]) {
            return short
        }
        return String(docID[start...].prefix(12))
    }

    /// SQL condition matching the documents of every unit one of whose names contains the text, whose
    /// normalised name contains it normalised, or whose code is the text.
    static func unitCondition(_ alias: String) -> String {
        """
        \(alias).unit_key IN (SELECT unit_key FROM units
            WHERE instr(unit_name, ?) > 0 OR instr(unit_key, ?) > 0 OR unit_code = ?)
        """
    }

    static func unitArguments(_ unit: String) -> [String] {
        [unit, Label.normalized(unit), unit]
    }

    // MARK: ls

    func ls(year: Int?, unit: String?) throws -> QueryResponse {
        var conditions: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let year { conditions.append("d.fiscal_year = ?"); args.append(year) }
        if let unit { conditions.append(Store.unitCondition("d")); args += Store.unitArguments(unit) }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try reader.read { db in
            try GRDB.Row.fetchAll(db, sql: """
                SELECT d.doc_id, d.unit_name, d.unit_code, d.fiscal_year, d.kind, d.scope, d.source_name,
                       d.parser_version, d.ingested_at,
                       (SELECT count(*) FROM tables t WHERE t.doc = d.id),
                       (SELECT count(*) FROM findings f WHERE f.doc = d.id AND f.severity = 'error'),
                       (SELECT count(*) FROM findings f WHERE f.doc = d.id AND f.severity = 'warning'),
                       (SELECT count(*) FROM findings f WHERE f.doc = d.id AND f.severity = 'info')
                FROM documents d \(whereClause)
                ORDER BY d.unit_name, d.fiscal_year, d.doc_id
                """, arguments: StatementArguments(args))
        }
        var table: [[String?]] = []
        var json: [AnswerJSON] = []
        for r in rows {
            let docID: String = r[0]
            let unitName: String? = r[1]
            let code: String? = r[2]
            let year: Int? = r[3]
            let kind: String? = r[4]
            let scope: String? = r[5]
            let source: String = r[6]
            let parser: String? = r[7]
            let ingested: String = r[8]
            let tables: Int = r[9], errors: Int = r[10], warnings: Int = r[11], infos: Int = r[12]
            table.append([Store.shortID(docID), unitName, code, year.map(String.init), kind, scope, source,
                          String(tables), String(errors), String(warnings), String(infos)])
            json.append(.object([
                ("doc_id", .string(docID)), ("unit", .optString(unitName)), ("unit_code", .optString(code)),
                ("year", .optInt(year)), ("kind", .optString(kind)), ("scope", .optString(scope)),
                ("source", .string(source)), ("parser_version", .optString(parser)),
                ("ingested_at", .string(ingested)), ("tables", .int(tables)),
                ("findings", .object([("error", .int(errors)), ("warning", .int(warnings)), ("info", .int(infos))])),
            ]))
        }
        let section = ResultSection(columns: [
            ResultColumn("doc"), ResultColumn("unit"), ResultColumn("code"), ResultColumn("year", numeric: true),
            ResultColumn("kind"), ResultColumn("scope"), ResultColumn("source"), ResultColumn("tables", numeric: true),
            ResultColumn("errors", numeric: true), ResultColumn("warnings", numeric: true), ResultColumn("infos", numeric: true),
        ], rows: table)
        return QueryResponse(sections: [section], json: AnswerJSON.array(json).serialized(),
                             notes: ["\(rows.count) document(s)"])
    }

    // MARK: show

    static let columnHeaders: [String: String] = [
        Column.total: "合计", Column.priorCarryover: "上年结转", Column.fiscal: "财政拨款",
        Column.generalBudget: "一般公共预算", Column.govFund: "政府性基金预算", Column.stateCapital: "国有资本经营预算",
        Column.fiscalSpecial: "财政专户拨款", Column.eduFee: "教育收费", Column.specialOther: "其他专户收入",
        Column.business: "事业收入", Column.operating: "经营收入", Column.superior: "上级补助收入",
        Column.affiliated: "附属单位上缴收入", Column.other: "其他收入", Column.nonFiscalBalance: "使用非财政拨款结余",
        Column.basic: "基本支出", Column.project: "项目支出", Column.operatingExp: "经营支出",
        Column.toAffiliated: "对附属单位补助", Column.toSuperior: "上缴上级支出", Column.carryForward: "结转下年",
        Column.personnel: "人员经费", Column.publicFunds: "公用经费",
    ]

    struct StoredTable {
        var idx: Int
        var kind: String
        var title: String
        var line: Int
        var empty: Bool
        var columns: [String]
        var note: String?
        /// The table's own unit where it differs from the document's.
        var currencyUnit: String?
        typealias TableRow = (code: String?, label: String, side: String?, values: [(String, String)])
        var rows: [TableRow] = []
    }

    func show(doc: String, table kind: TableKind?) throws -> QueryResponse {
        let (meta, tables) = try reader.read { db -> (GRDB.Row, [StoredTable]) in
            let pk = try Store.resolve(doc, in: db)
            guard let meta = try GRDB.Row.fetchOne(db, sql: """
                SELECT doc_id, unit_name, fiscal_year, currency_unit FROM documents WHERE id = ?
                """, arguments: [pk]) else { throw StoreError.documentNotFound(doc) }
            var tables: [Int: StoredTable] = [:]
            var order: [Int] = []
            for r in try GRDB.Row.fetchAll(db, sql: """
                SELECT idx, kind, title, line, empty, columns, note, currency_unit FROM tables WHERE doc = ? ORDER BY idx
                """, arguments: [pk]) {
                let k: String = r[1]
                if let kind, k != kind.rawValue { continue }
                let cols = (try? JSONDecoder().decode([String].self, from: Data((r[5] as String).utf8))) ?? []
                let t = StoredTable(idx: r[0], kind: k, title: r[2], line: r[3], empty: r[4], columns: cols, note: r[6],
                                    currencyUnit: r[7])
                tables[t.idx] = t
                order.append(t.idx)
            }
            for r in try GRDB.Row.fetchAll(db, sql: """
                SELECT table_idx, code, label, side FROM rows WHERE doc = ? ORDER BY table_idx, idx
                """, arguments: [pk]) {
                let ti: Int = r[0]
                guard tables[ti] != nil else { continue }
                tables[ti]?.rows.append((r[1], r[2], r[3], []))
            }
            for r in try GRDB.Row.fetchAll(db, sql: """
                SELECT table_idx, row_idx, col, amount FROM cells WHERE doc = ? ORDER BY table_idx, row_idx
                """, arguments: [pk]) {
                let ti: Int = r[0]
                let ri: Int = r[1]
                guard let t = tables[ti], ri < t.rows.count else { continue }
                tables[ti]?.rows[ri].values.append((r[2], r[3]))
            }
            return (meta, order.compactMap { tables[$0] })
        }
        if let kind, tables.isEmpty {
            throw StoreError.badQuery("document \(doc) has no \(kind.rawValue) table; `gouji show \(doc)` lists its tables")
        }
        let docID: String = meta[0]
        let unit: String? = meta[1]
        let year: Int? = meta[2]
        let currency: String? = meta[3]
        var sections: [ResultSection] = []
        var jsonTables: [AnswerJSON] = []
        for t in tables {
            var present = Set<String>()
            for row in t.rows { for (k, _) in row.values { present.insert(k) } }
            var keys = t.columns + Store.orderedColumns(present.subtracting(t.columns))
            if keys.isEmpty { keys = [Column.total] }
            keys = keys.filter { k in t.columns.contains(k) || t.rows.contains { $0.values.contains { $0.0 == k } } }
            let twoSided = t.rows.contains { $0.side != nil }
            var columns: [ResultColumn]
            var rows: [[String?]] = []
            var jsonRows: [AnswerJSON] = []
            for row in t.rows {
                var fields: [(String, AnswerJSON)] = [("code", .optString(row.code)), ("label", .string(row.label))]
                if let side = row.side { fields.append(("side", .string(side))) }
                let values: [(String, AnswerJSON)] = Store.orderedColumns(row.values.map(\.0)).compactMap { k in
                    row.values.first { $0.0 == k }.map { (k, AnswerJSON.string($0.1)) }
                }
                fields.append(("values", .object(values)))
                jsonRows.append(.object(fields))
            }
            if twoSided {
                // Income on the left, expenditure on the right, paired line by line as printed.
                let income = t.rows.filter { $0.side != "expenditure" }
                let spending = t.rows.filter { $0.side == "expenditure" }
                func sideKeys(_ side: [StoredTable.TableRow]) -> [String] {
                    let present = Set(side.flatMap { $0.values.map(\.0) })
                    let declared = t.columns.filter(present.contains)
                    let keys = declared + Store.orderedColumns(present.subtracting(declared))
                    return keys.isEmpty ? [Column.total] : keys
                }
                let inKeys = sideKeys(income), outKeys = sideKeys(spending)
                columns = [ResultColumn("收入项目")] + inKeys.map { ResultColumn(Store.columnHeaders[$0] ?? $0, numeric: true) }
                    + [ResultColumn("支出项目")] + outKeys.map { ResultColumn(Store.columnHeaders[$0] ?? $0, numeric: true) }
                for i in 0..<max(income.count, spending.count) {
                    var cells: [String?] = []
                    let a = i < income.count ? income[i] : nil
                    let b = i < spending.count ? spending[i] : nil
                    cells.append(a.map { ($0.code.map { $0 + " " } ?? "") + $0.label })
                    for k in inKeys { cells.append(a?.values.first { $0.0 == k }?.1) }
                    cells.append(b.map { ($0.code.map { $0 + " " } ?? "") + $0.label })
                    for k in outKeys { cells.append(b?.values.first { $0.0 == k }?.1) }
                    rows.append(cells)
                }
            } else {
                columns = [ResultColumn("编码"), ResultColumn("项目")]
                    + keys.map { ResultColumn(Store.columnHeaders[$0] ?? $0, numeric: true) }
                for row in t.rows {
                    var cells: [String?] = [row.code, Store.indented(row.label, code: row.code)]
                    for k in keys { cells.append(row.values.first { $0.0 == k }?.1) }
                    rows.append(cells)
                }
            }
            var title = "\(t.title) [\(t.kind)]  \(unit ?? "") \(year.map(String.init) ?? "")"
            if let u = t.currencyUnit ?? currency { title += "  单位：\(u)" }
            if t.empty { title += "  (empty" + (t.note.map { ": \($0)" } ?? "") + ")" }
            sections.append(ResultSection(title: title, columns: columns, rows: rows))
            jsonTables.append(.object([
                ("kind", .string(t.kind)), ("title", .string(t.title)), ("line", .int(t.line)),
                ("empty", .bool(t.empty)), ("columns", .array(keys.map { .string($0) })),
                ("note", .optString(t.note)), ("currency_unit", .optString(t.currencyUnit ?? currency)), ("rows", .array(jsonRows)),
            ]))
        }
        let json = AnswerJSON.object([
            ("doc_id", .string(docID)), ("unit", .optString(unit)), ("year", .optInt(year)),
            ("currency_unit", .optString(currency)), ("tables", .array(jsonTables)),
        ])
        return QueryResponse(sections: sections, json: json.serialized())
    }

    /// A label indented by its code's depth (款 under 类, 项 under 款), as the original prints it.
    static func indented(_ label: String, code: String?) -> String {
        guard let code, code.allSatisfy(\.isNumber) else { return label }
        switch code.count {
        case 5: return "  " + label
        case 7: return "    " + label
        default: return label
        }
    }

    // MARK: findings

    func findings(severity: Severity?, rule: String?, unit: String?) throws -> QueryResponse {
        var conditions: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        if let severity { conditions.append("f.severity = ?"); args.append(severity.rawValue) }
        if let rule { conditions.append("f.rule = ?"); args.append(rule) }
        if let unit {
            conditions.append("f.doc IN (SELECT d.id FROM documents d WHERE \(Store.unitCondition("d")))")
            args += Store.unitArguments(unit)
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let order = severity == nil
            ? "CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.doc, f.origin, f.idx"
            : "f.doc, f.origin, f.idx"
        var table: [[String?]] = []
        var json = ""
        json.reserveCapacity(1024)
        var count = 0
        try reader.read { db in
            let stmt = try db.cachedStatement(sql: """
                SELECT d.doc_id, d.unit_name, d.fiscal_year, f.rule, f.severity, f.message, f.refs, f.expected, f.found,
                       f.location
                FROM findings f JOIN documents d ON d.id = f.doc \(whereClause) ORDER BY \(order)
                """)
            let cursor = try GRDB.Row.fetchCursor(stmt, arguments: StatementArguments(args))
            var items = JSONItems()
            while let r = try cursor.next() {
                let docID: String = r[0]
                let unitName: String? = r[1]
                let year: Int? = r[2]
                let refs: String = r[6]
                let rule: String = r[3], sev: String = r[4], message: String = r[5], expected: String = r[7], found: String = r[8]
                table.append([Store.shortID(docID), unitName, year.map(String.init), sev, rule,
                              r[9] as String, expected, found, message])
                var item = JSONLine()
                item.string("doc_id", docID)
                item.string("unit", unitName)
                item.int("year", year)
                item.string("rule", rule)
                item.string("severity", sev)
                item.string("message", message)
                item.raw("refs", refs)
                item.string("expected", expected)
                item.string("found", found)
                items.append(item)
                count += 1
            }
            json = items.value.serialized()
        }
        let section = ResultSection(columns: [
            ResultColumn("doc"), ResultColumn("unit"), ResultColumn("year", numeric: true), ResultColumn("severity"),
            ResultColumn("rule"), ResultColumn("where"), ResultColumn("expected", numeric: true),
            ResultColumn("found", numeric: true), ResultColumn("message"),
        ], rows: table)
        return QueryResponse(sections: [section], json: json, notes: ["\(count) finding(s)"])
    }

    // MARK: sum / top

    struct CodeAmount {
        var docID: String
        var unit: String?
        var year: Int?
        var label: String
        var amount: Amount
        /// The amount as stored (its canonical text, `amount.text`).
        var text: String
    }

    /// One amount per document: the first `code` row of its first expenditure table, in `column`,
    /// in store order, from `code_amounts` (kept at put, already joined with the document's name and
    /// year): one range scan of its primary key.
    func codeAmounts(code: String, column: String, year: Int?) throws -> [CodeAmount] {
        try reader.read { db in
            var out: [CodeAmount] = []
            var label: String?
            let sql = year == nil
                ? "SELECT doc_id, unit_name, year, label, amount FROM code_amounts WHERE code = ? AND col = ? ORDER BY doc"
                : "SELECT doc_id, unit_name, year, label, amount FROM code_amounts WHERE code = ? AND col = ? AND year = ? ORDER BY doc"
            let args: StatementArguments = year.map { [code, column, $0] } ?? [code, column]
            let cursor = try GRDB.Row.fetchCursor(db.cachedStatement(sql: sql), arguments: args)
            while let r = try cursor.next() {
                guard let amount = Amount(r[4] as String) else { continue }
                let rowLabel: String = label ?? r[3]
                label = rowLabel
                out.append(CodeAmount(docID: r[0], unit: r[1], year: r[2], label: rowLabel, amount: amount, text: r[4]))
            }
            return out
        }
    }

    func sum(code: String, column: String, year: Int?) throws -> QueryResponse {
        let items = try codeAmounts(code: code, column: column, year: year)
        guard let total = Amount.sum(items.map(\.amount)) else {
            throw StoreError.badQuery("the sum of \(code) overflows an exact decimal")
        }
        let label = items.first?.label
        var rows: [[String?]] = items.map { [Store.shortID($0.docID), $0.unit, $0.year.map(String.init), $0.text] }
        rows.append([nil, "合计 (\(items.count) documents)", nil, total.text])
        let section = ResultSection(
            title: "\(code) \(label ?? "") · \(Store.columnHeaders[column] ?? column)" + (year.map { " · \($0)" } ?? "") + " · 单位：\(Store.commonUnit)",
            columns: [ResultColumn("doc"), ResultColumn("unit"), ResultColumn("year", numeric: true),
                      ResultColumn(column, numeric: true)],
            rows: rows)
        var fields: [(String, AnswerJSON)] = [("code", .string(code)), ("label", .optString(label)), ("column", .string(column))]
        if let year { fields.append(("year", .int(year))) }
        fields += [
            ("total", .string(total.text)), ("currency_unit", .string(Store.commonUnit)), ("documents", .int(items.count)),
            ("by_unit", items.reduce(into: JSONItems(depth: 1)) { list, c in
                var item = JSONLine()
                item.string("doc_id", c.docID)
                item.string("unit", c.unit)
                item.int("year", c.year)
                item.string("amount", c.text)
                list.append(item)
            }.value),
        ]
        return QueryResponse(sections: [section], json: AnswerJSON.object(fields).serialized())
    }

    func top(code: String?, fact: String?, n: Int) throws -> QueryResponse {
        guard n > 0 else { throw StoreError.badQuery("--n must be positive") }
        var items: [CodeAmount]
        let subject: (String, String)
        switch (code, fact) {
        case (let code?, nil):
            items = try codeAmounts(code: code, column: Column.total, year: nil)
            subject = ("code", code)
        case (nil, let fact?):
            subject = ("fact", fact)
            items = try reader.read { db in
                var out: [CodeAmount] = []
                var lastDoc: Int64 = -1
                let cursor = try GRDB.Row.fetchCursor(db, sql: """
                    SELECT f.doc, d.doc_id, d.unit_name, d.fiscal_year, f.value, coalesce(f.unit, d.currency_unit) FROM facts f
                    JOIN documents d ON d.id = f.doc WHERE f.key = ? ORDER BY f.doc, f.idx
                    """, arguments: [fact])
                while let r = try cursor.next() {
                    let doc: Int64 = r[0]
                    if doc == lastDoc { continue }
                    lastDoc = doc
                    guard let printed = Amount(r[4] as String) else { continue }
                    let amount = Store.inCommonUnit(printed, unit: r[5])
                    out.append(CodeAmount(docID: r[1], unit: r[2], year: r[3], label: fact, amount: amount, text: amount.text))
                }
                return out
            }
        default:
            throw StoreError.badQuery("give exactly one of --code CODE or --fact KEY")
        }
        items.sort { $0.amount != $1.amount ? $0.amount > $1.amount : $0.docID < $1.docID }
        let best = Array(items.prefix(n))
        let section = ResultSection(
            title: "top \(n) by \(subject.0) \(subject.1)" + (code != nil ? " \(best.first?.label ?? "") (expenditure, 合计)" : "") + " · 单位：\(Store.commonUnit)",
            columns: [ResultColumn("#", numeric: true), ResultColumn("unit"), ResultColumn("year", numeric: true),
                      ResultColumn("amount", numeric: true), ResultColumn("doc")],
            rows: best.enumerated().map { i, c in [String(i + 1), c.unit, c.year.map(String.init), c.text, Store.shortID(c.docID)] })
        let json = AnswerJSON.object([
            (subject.0, .string(subject.1)), ("n", .int(n)), ("currency_unit", .string(Store.commonUnit)), ("documents", .int(items.count)),
            ("items", .array(best.map { .object([
                ("doc_id", .string($0.docID)), ("unit", .optString($0.unit)), ("year", .optInt($0.year)),
                ("amount", .string($0.text)),
            ]) })),
        ])
        return QueryResponse(sections: [section], json: json.serialized())
    }

    // MARK: compare

    func compare(unit: String) throws -> QueryResponse {
        struct Doc { var id: Int64; var docID: String; var name: String?; var key: String; var year: Int; var kind: String?; var scope: String? }
        struct Metric { var name: String; var code: String?; var values: [Int: Amount] = [:] }
        let (docs, metricsByUnit) = try reader.read { db -> ([Doc], [String: [Metric]]) in
            let docs = try GRDB.Row.fetchAll(db, sql: """
                SELECT d.id, d.doc_id, d.unit_name, d.unit_key, d.fiscal_year, d.kind, d.scope FROM documents d
                WHERE \(Store.unitCondition("d")) AND d.fiscal_year IS NOT NULL AND d.unit_key IS NOT NULL
                ORDER BY d.unit_key, d.kind, d.scope, d.fiscal_year, d.ingested_at, d.id
                """, arguments: StatementArguments(Store.unitArguments(unit))).map {
                Doc(id: $0[0], docID: $0[1], name: $0[2], key: $0[3], year: $0[4], kind: $0[5], scope: $0[6])
            }
            var metrics: [String: [Metric]] = [:]
            for d in docs {
                let group = [d.key, d.kind ?? "", d.scope ?? ""].joined(separator: "|")
                var list = metrics[group] ?? []
                func set(_ name: String, _ code: String?, _ amount: Amount) {
                    if let i = list.firstIndex(where: { $0.name == name && $0.code == code }) {
                        list[i].values[d.year] = amount
                    } else {
                        var m = Metric(name: name, code: code)
                        m.values[d.year] = amount
                        list.append(m)
                    }
                }
                var seenTotal = Set<String>()
                for r in try GRDB.Row.fetchAll(db, sql: """
                    SELECT c.table_kind, c.code, c.label, c.col, c.amount, coalesce(t.currency_unit, dd.currency_unit) FROM cells c
                    JOIN tables t ON t.doc = c.doc AND t.idx = c.table_idx JOIN documents dd ON dd.id = c.doc
                    WHERE c.doc = ? AND c.first_of_kind = 1 AND c.table_kind IN ('income', 'expenditure', 'three_public')
                    ORDER BY c.table_idx, c.row_idx, c.col != 'total', c.col
                    """, arguments: [d.id]) {
                    let kind: String = r[0]
                    let code: String? = r[1]
                    let label: String = r[2]
                    let col: String = r[3]
                    guard let printed = Amount(r[4] as String) else { continue }
                    let amount = Store.inCommonUnit(printed, unit: r[5])
                    let isTotal = code == nil && (label.contains("合计") || label.contains("总计"))
                    switch kind {
                    case "income" where isTotal && col == Column.total:
                        if seenTotal.insert("income").inserted { set("收入合计", nil, amount) }
                    case "expenditure" where isTotal:
                        let name = "支出合计·" + (Store.columnHeaders[col] ?? col)
                        if seenTotal.insert(name).inserted { set(name, nil, amount) }
                    case "expenditure" where code != nil && col == Column.total:
                        set(label, code, amount)
                    case "three_public" where col == Column.total && Label.normalized(label) == ThreePublicItem.total:
                        if seenTotal.insert("three_public").inserted { set("三公经费合计", nil, amount) }
                    default:
                        break
                    }
                }
                metrics[group] = list
            }
            return (docs, metrics)
        }
        if docs.isEmpty { throw StoreError.documentNotFound("unit \(unit)") }
        var sections: [ResultSection] = []
        var jsonUnits: [AnswerJSON] = []
        var groups: [String] = []
        for d in docs {
            let g = [d.key, d.kind ?? "", d.scope ?? ""].joined(separator: "|")
            if !groups.contains(g) { groups.append(g) }
        }
        for g in groups {
            let members = docs.filter { [$0.key, $0.kind ?? "", $0.scope ?? ""].joined(separator: "|") == g }
            let years = Array(Set(members.map(\.year))).sorted()
            let metrics = metricsByUnit[g] ?? []
            var rows: [[String?]] = []
            var jsonMetrics: [AnswerJSON] = []
            for m in metrics {
                var change: Amount?
                if years.count >= 2, let a = m.values[years[years.count - 1]], let b = m.values[years[years.count - 2]] {
                    change = a.subtracting(b)
                }
                rows.append([m.code, Store.indented(m.name, code: m.code)] + years.map { m.values[$0]?.text } + [change?.text])
                jsonMetrics.append(.object([
                    ("metric", .string(m.name)), ("code", .optString(m.code)),
                    ("values", .object(years.compactMap { y in m.values[y].map { (String(y), AnswerJSON.string($0.text)) } })),
                    ("change", .optString(change?.text)),
                ]))
            }
            let name = members.last?.name ?? members[0].key
            let kind = members[0].kind ?? ""
            let scope = members[0].scope ?? ""
            let changeTitle = years.count >= 2 ? "Δ \(years[years.count - 2])→\(years[years.count - 1])" : "Δ"
            sections.append(ResultSection(
                title: "\(name) (\(kind) \(scope)) · \(years.map(String.init).joined(separator: ", ")) · 单位：\(Store.commonUnit)",
                columns: [ResultColumn("编码"), ResultColumn("项目")] + years.map { ResultColumn(String($0), numeric: true) }
                    + [ResultColumn(changeTitle, numeric: true)],
                rows: rows))
            jsonUnits.append(.object([
                ("unit", .string(name)), ("kind", .string(kind)), ("scope", .string(scope)),
                ("years", .array(years.map { .int($0) })), ("currency_unit", .string(Store.commonUnit)),
                ("documents", .array(members.map { .object([("year", .int($0.year)), ("doc_id", .string($0.docID))]) })),
                ("metrics", .array(jsonMetrics)),
            ]))
        }
        let notes = docs.count == 1 ? ["only one document of this unit is stored: nothing to compare yet"] : []
        return QueryResponse(sections: sections, json: AnswerJSON.object([("units", .array(jsonUnits))]).serialized(), notes: notes)
    }

    // MARK: sql

    /// GRDB.Row limit of the sql command (the rest is reported as truncated).
    static let sqlRowLimit = 100_000

    func sql(_ text: String) throws -> QueryResponse {
        try reader.read { db in
            let stmt: Statement
            do {
                stmt = try db.makeStatement(sql: text)
            } catch let error as DatabaseError {
                throw StoreError.badQuery(error.message ?? "\(error)")
            }
            let keyword = text.drop { $0.isWhitespace }.prefix(6).uppercased()
            guard stmt.isReadonly, keyword != "ATTACH", keyword != "DETACH" else {
                throw StoreError.readOnlyStatement("\(text.prefix(60)) would write to the store")
            }
            let names = stmt.columnNames
            var rows: [[String?]] = []
            var items: [AnswerJSON] = []
            var numeric = Array(repeating: true, count: names.count)
            var truncated = false
            do {
                let cursor = try GRDB.Row.fetchCursor(stmt)
                while let row = try cursor.next() {
                    if rows.count >= Store.sqlRowLimit { truncated = true; break }
                    var cells: [String?] = []
                    var fields: [(String, AnswerJSON)] = []
                    for i in 0..<names.count {
                        let value: DatabaseValue = row[i]
                        switch value.storage {
                        case .null:
                            cells.append(nil)
                            fields.append((names[i], .null))
                        case .int64(let v):
                            cells.append(String(v))
                            fields.append((names[i], .number(String(v))))
                        case .double(let v):
                            cells.append(String(v))
                            fields.append((names[i], v.isFinite ? .number(String(v)) : .string(String(v))))
                        case .string(let s):
                            numeric[i] = false
                            cells.append(s)
                            fields.append((names[i], .string(s)))
                        case .blob(let data):
                            numeric[i] = false
                            let hex = data.map { String(format: "%02x", $0) }.joined()
                            cells.append("x'" + hex + "'")
                            fields.append((names[i], .string(hex)))
                        }
                    }
                    rows.append(cells)
                    items.append(.object(fields))
                }
            } catch let error as DatabaseError {
                if error.resultCode == .SQLITE_READONLY {
                    throw StoreError.readOnlyStatement("the store refused a write")
                }
                throw StoreError.badQuery(error.message ?? "\(error)")
            }
            let section = ResultSection(columns: names.enumerated().map { ResultColumn($1, numeric: numeric[$0]) }, rows: rows)
            var notes = ["\(rows.count) row(s)"]
            if truncated { notes.append("output stopped at \(Store.sqlRowLimit) rows: add a LIMIT or a narrower WHERE") }
            return QueryResponse(sections: [section], json: AnswerJSON.array(items).serialized(), notes: notes)
        }
    }

    // MARK: export

    func export(doc: String) throws -> QueryResponse {
        let (document, cells) = try reader.read { db -> (BudgetDocument, [GRDB.Row]) in
            let pk = try Store.resolve(doc, in: db)
            let document = try Store.loadDocument(pk: pk, in: db)
            let cells = try GRDB.Row.fetchAll(db, sql: """
                SELECT c.table_kind, t.title, c.code, c.label, c.side, c.col, c.amount
                FROM cells c JOIN tables t ON t.doc = c.doc AND t.idx = c.table_idx
                WHERE c.doc = ? ORDER BY c.table_idx, c.row_idx
                """, arguments: [pk])
            return (document, cells)
        }
        let json = String(decoding: try DocumentJSON.encode(document, pretty: true), as: UTF8.self) + "\n"
        let section = ResultSection(
            title: "\(document.unit?.name ?? "") \(document.fiscalYear.map(String.init) ?? "") \(document.docID ?? "")",
            columns: [ResultColumn("table"), ResultColumn("title"), ResultColumn("code"), ResultColumn("label"),
                      ResultColumn("side"), ResultColumn("column"), ResultColumn("amount", numeric: true)],
            rows: cells.map { (r: GRDB.Row) -> [String?] in (0..<7).map { (i: Int) -> String? in r[i] } })
        return QueryResponse(sections: [section], json: json)
    }

    // MARK: summary

    func summary() throws -> QueryResponse {
        let (documents, byRule, bySeverity) = try reader.read { db -> (Int, [GRDB.Row], [GRDB.Row]) in
            let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0
            let byRule = try GRDB.Row.fetchAll(db, sql: """
                SELECT rule, severity, count(*), count(DISTINCT doc) FROM findings GROUP BY rule, severity
                """)
            let bySeverity = try GRDB.Row.fetchAll(db, sql: """
                SELECT severity, count(*), count(DISTINCT doc) FROM findings GROUP BY severity
                """)
            return (n, byRule, bySeverity)
        }
        func rank(_ s: String) -> Int { Severity(rawValue: s).map { Severity.allCases.firstIndex(of: $0) ?? 9 } ?? 9 }
        struct SevCount { var s: String; var n: Int; var d: Int }
        struct RuleCount { var r: String; var s: String; var n: Int; var d: Int }
        let sev: [SevCount] = bySeverity.map { (row: GRDB.Row) -> SevCount in SevCount(s: row[0], n: row[1], d: row[2]) }
        var rules: [RuleCount] = byRule.map { (row: GRDB.Row) -> RuleCount in RuleCount(r: row[0], s: row[1], n: row[2], d: row[3]) }
        rules.sort { (a: RuleCount, b: RuleCount) -> Bool in
            if rank(a.s) != rank(b.s) { return rank(a.s) < rank(b.s) }
            if a.n != b.n { return a.n > b.n }
            return a.r < b.r
        }
        let total = sev.reduce(0) { $0 + $1.n }
        func count(_ s: Severity) -> SevCount? { sev.first { $0.s == s.rawValue } }
        let s1 = ResultSection(
            title: "\(documents) document(s), \(total) finding(s)",
            columns: [ResultColumn("severity"), ResultColumn("findings", numeric: true), ResultColumn("documents", numeric: true)],
            rows: Severity.allCases.map { (s: Severity) -> [String?] in
                [s.rawValue, String(count(s)?.n ?? 0), String(count(s)?.d ?? 0)]
            })
        let s2 = ResultSection(
            title: "by rule",
            columns: [ResultColumn("rule"), ResultColumn("severity"), ResultColumn("findings", numeric: true),
                      ResultColumn("documents", numeric: true)],
            rows: rules.map { (c: RuleCount) -> [String?] in [c.r, c.s, String(c.n), String(c.d)] })
        let severityFields: [(String, AnswerJSON)] = Severity.allCases.map { (s: Severity) -> (String, AnswerJSON) in
            (s.rawValue, AnswerJSON.int(count(s)?.n ?? 0))
        }
        let ruleItems: [AnswerJSON] = rules.map { (c: RuleCount) -> AnswerJSON in
            AnswerJSON.object([("rule", .string(c.r)), ("severity", .string(c.s)), ("findings", .int(c.n)), ("documents", .int(c.d))])
        }
        let json = AnswerJSON.object([
            ("documents", .int(documents)), ("findings", .int(total)),
            ("by_severity", .object(severityFields)), ("by_rule", .array(ruleItems)),
        ])
        return QueryResponse(sections: [s1, s2], json: json.serialized())
    }
}
