import Foundation
import GRDB
import GoujiModel

/// The SQLite store of parsed documents, their cells in long form, facts and findings.
///
/// Thread-safe: all access goes through GRDB's `DatabasePool` (WAL; one writer, concurrent readers).
/// `put` is idempotent by `doc_id`; a changed document replaces its rows in one transaction.
public final class Store: Sendable, QueryExecutor {
    public let path: String
    let writer: (any DatabaseWriter)?
    let reader: any DatabaseReader

    /// Opens (creating and migrating when needed) the store at `path`.
    public init(path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try Store.tune(db)
        }
        let pool = try DatabasePool(path: path, configuration: config)
        try Schema.migrator.migrate(pool)
        self.path = path
        self.writer = pool
        self.reader = pool
    }

    private init(path: String, reader: any DatabaseReader) {
        self.path = path
        self.writer = nil
        self.reader = reader
    }

    /// Opens an existing store with read-only connections: every write is refused by SQLite.
    public static func openReadOnly(path: String) throws -> Store {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.storeNotFound(path: path) }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in try Store.tune(db) }
        let pool = try DatabasePool(path: path, configuration: config)
        return Store(path: path, reader: pool)
    }

    var isReadOnly: Bool { writer == nil }

    /// Connection settings for large stores: a 64 MB page cache and memory-mapped reads.
    static func tune(_ db: Database) throws {
        try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA mmap_size = 4294967296")
    }

    func requireWriter() throws -> any DatabaseWriter {
        guard let writer else { throw StoreError.badQuery("this store was opened read-only; open it with Store(path:) to write") }
        return writer
    }

    // MARK: put

    /// Stores a document. Same doc_id and identical content → `.unchanged` (nothing written);
    /// same doc_id with other content (a new parser version) → `.replaced`, atomically.
    /// Y-CHANGE is (re)computed for the document and for the unit's next-year document.
    @discardableResult
    public func put(_ doc: BudgetDocument) throws -> PutOutcome {
        let prepared = try Prepared(doc)
        let now = Store.timestamp()
        return try requireWriter().write { db in try Store.put(prepared, at: now, in: db) }
    }

    /// Stores several documents in one transaction (faster for bulk ingest); same rules as `put`.
    @discardableResult
    public func putAll(_ docs: [BudgetDocument]) throws -> [PutOutcome] {
        let prepared = try Store.prepareConcurrently(docs)
        let now = Store.timestamp()
        return try requireWriter().write { db in try prepared.map { try Store.put($0, at: now, in: db) } }
    }

    /// Group commit: stores several documents in ONE transaction (one WAL commit and sync for all),
    /// each inside its own savepoint, so a document that fails is rolled back alone and reported in
    /// its slot while the others are stored. Same rules per document as `put`.
    ///
    /// Throws only when the transaction itself fails (then none of `docs` was stored).
    public func putEach(_ docs: [BudgetDocument]) throws -> [Result<PutOutcome, any Error>] {
        let prepared = Store.prepareEach(docs)
        let now = Store.timestamp()
        return try requireWriter().write { db in
            prepared.map { slot in
                slot.flatMap { p in
                    Result {
                        var outcome = PutOutcome.unchanged
                        try db.inSavepoint {
                            outcome = try Store.put(p, at: now, in: db)
                            return .commit
                        }
                        return outcome
                    }
                }
            }
        }
    }

    /// Encodes documents to JSON on every core (the costliest step of a put), in order.
    static func prepareConcurrently(_ docs: [BudgetDocument]) throws -> [Prepared] {
        try prepareEach(docs).map { try $0.get() }
    }

    /// `prepareConcurrently` with each document's failure kept in its own slot.
    static func prepareEach(_ docs: [BudgetDocument]) -> [Result<Prepared, any Error>] {
        if docs.count < 4 { return docs.map { d in Result { try Prepared(d) } } }
        let results = PreparedSlots(count: docs.count)
        DispatchQueue.concurrentPerform(iterations: docs.count) { i in
            results.set(i, Result { try Prepared(docs[i]) })
        }
        return results.values()
    }

    /// Result slots filled concurrently, each index by one thread.
    final class PreparedSlots: @unchecked Sendable {
        private var slots: [Result<Prepared, any Error>?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: Result<Prepared, any Error>) {
            lock.lock()
            slots[i] = r
            lock.unlock()
        }
        func values() -> [Result<Prepared, any Error>] {
            lock.lock()
            defer { lock.unlock() }
            return slots.map { $0 ?? .failure(StoreError.badQuery("a document was not prepared")) }
        }
    }

    /// A document with the JSON it is stored as.
    struct Prepared {
        let doc: BudgetDocument
        let docID: String
        let json: String
        init(_ doc: BudgetDocument) throws {
            guard let id = doc.docID, !id.isEmpty else { throw StoreError.missingDocID(source: doc.source.name) }
            self.doc = doc
            self.docID = id
            self.json = String(decoding: try DocumentJSON.encode(doc), as: UTF8.self)
        }
    }

    static func put(_ p: Prepared, at now: String, in db: Database) throws -> PutOutcome {
        let doc = p.doc
        if let existing = try GRDB.Row.fetchOne(db, sql: """
            SELECT d.id, j.json, d.unit_key, d.kind, d.scope, d.fiscal_year
            FROM documents d JOIN document_json j ON j.doc = d.id WHERE d.doc_id = ?
            """, arguments: [p.docID]) {
            let id: Int64 = existing[0]
            let oldJSON: String = existing[1]
            if oldJSON == p.json { return .unchanged }
            let oldKey = YearChange.UnitYear(unitKey: existing[2], kind: existing[3], scope: existing[4], year: existing[5])
            try deleteContents(of: id, in: db)
            try db.execute(sql: "DELETE FROM documents WHERE id = ?", arguments: [id])
            try insertDocumentRow(id: id, p, ingestedAt: now, replacedAt: now, in: db)
            try insertContents(of: doc, id: id, json: p.json, in: db)
            try YearChange.recheck(doc: id, in: db)
            try YearChange.recheckSuccessors(of: oldKey, in: db)
            try YearChange.recheckSuccessors(of: YearChange.UnitYear(doc), in: db)
            return .replaced
        }
        try insertDocumentRow(id: nil, p, ingestedAt: now, replacedAt: nil, in: db)
        let id = db.lastInsertedRowID
        try insertContents(of: doc, id: id, json: p.json, in: db)
        try YearChange.recheck(doc: id, in: db)
        try YearChange.recheckSuccessors(of: YearChange.UnitYear(doc), in: db)
        return .inserted
    }

    static func unitKey(_ unit: UnitRef?) -> String? {
        if let name = unit?.name {
            let key = Label.normalized(name)
            if !key.isEmpty { return key }
        }
        if let code = unit?.code, !code.isEmpty { return "code:" + code }
        return nil
    }

    static func insertDocumentRow(id: Int64?, _ p: Prepared, ingestedAt: String, replacedAt: String?, in db: Database) throws {
        let d = p.doc
        let stmt = try db.cachedStatement(sql: """
            INSERT INTO documents (id, doc_id, schema, unit_name, unit_code, unit_key, supervisor_name,
              supervisor_code, fiscal_year, kind, scope, currency_unit, source_name, source_format,
              source_bytes, parser_version, staff_authorized, staff_actual, staff_in_service,
              staff_retired, ingested_at, replaced_at)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """)
        let args: [(any DatabaseValueConvertible)?] = [
            id, p.docID, d.schema, d.unit?.name, d.unit?.code, unitKey(d.unit), d.supervisor?.name,
            d.supervisor?.code, d.fiscalYear, d.kind?.rawValue, d.scope?.rawValue, d.currencyUnit,
            d.source.name, d.source.format.rawValue, d.source.bytes, d.parserVersion,
            d.staffing.authorized, d.staffing.actual, d.staffing.inService, d.staffing.retired,
            ingestedAt, replacedAt,
        ]
        try stmt.execute(arguments: StatementArguments(args))
        if let key = unitKey(d.unit) {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO units VALUES (?, ?, ?)")
                .execute(arguments: [key, d.unit?.name ?? "", d.unit?.code ?? ""])
        }
    }

    static let childTables = ["document_json", "tables", "rows", "cells", "code_amounts", "projects", "indicators",
                              "facts", "findings"]

    static func deleteContents(of id: Int64, in db: Database) throws {
        for t in childTables {
            try db.cachedStatement(sql: "DELETE FROM \(t) WHERE doc = ?").execute(arguments: [id])
        }
    }

    /// Column keys of a row in display order: known keys in MODEL.md order, then others by name.
    static func orderedColumns(_ keys: some Sequence<String>) -> [String] {
        keys.sorted { a, b in
            let ia = Column.all.firstIndex(of: a) ?? Int.max
            let ib = Column.all.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a < b
        }
    }

    static func insertContents(of doc: BudgetDocument, id: Int64, json: String, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO document_json (doc, json) VALUES (?, ?)")
            .execute(arguments: [id, json])
        let tables = try RowInserter(db, sql: "INSERT INTO tables VALUES (?,?,?,?,?,?,?,?,?,?)")
        let rows = try RowInserter(db, sql: "INSERT INTO rows VALUES (?,?,?,?,?,?,?)")
        let cells = try RowInserter(db, sql: "INSERT INTO cells VALUES (?,?,?,?,?,?,?,?,?,?,?)")
        let codeAmounts = try RowInserter(db, sql: "INSERT OR IGNORE INTO code_amounts VALUES (?,?,?,?,?,?,?,?)")
        let docID = SQLValue.text(doc.docID ?? ""), unitName = SQLValue.text(doc.unit?.name)
        let year = SQLValue.int(doc.fiscalYear)
        var seenKinds = Set<TableKind>()
        for (ti, table) in doc.tables.enumerated() {
            let first = seenKinds.insert(table.kind).inserted
            // The first expenditure table's rows by code: what `sum --code` and `top --code` read.
            let feedsCodeAmounts = first && table.kind == .expenditure
            let kind = SQLValue.text(table.kind.rawValue)
            let columnsJSON = AnswerJSON.array(table.columns.map { .string($0) }).serialized(pretty: false)
            try tables.insert(.int(id), .int(ti), kind, .bool(first), .text(table.title), .int(table.line),
                              .bool(table.empty), .text(columnsJSON), .text(table.note), .text(table.currencyUnit))
            let tableUnit = table.currencyUnit ?? doc.currencyUnit
            for (ri, row) in table.rows.enumerated() {
                let code = SQLValue.text(row.code), label = SQLValue.text(row.label)
                let side = SQLValue.text(row.side?.rawValue)
                try rows.insert(.int(id), .int(ti), .int(ri), code, label, side, .int(row.line))
                for key in orderedColumns(row.values.keys) {
                    guard let amount = row.values[key] else { continue }
                    let text = amount.text
                    try cells.insert(.int(id), .int(ti), .int(ri), .text(key), kind, .bool(first), code, label, side,
                                     .text(text), .int(amount.decimals))
                    if feedsCodeAmounts, row.code != nil {
                        // OR IGNORE: the first row of a code keeps its place, as in the table.
                        // In `commonUnit`: documents in 元 and in 万元 sum and rank together.
                        try codeAmounts.insert(code, .text(key), .int(id), docID, unitName, year, label,
                                               .text(inCommonUnit(amount, unit: tableUnit).text))
                    }
                }
            }
        }
        let projects = try RowInserter(db, sql: "INSERT INTO projects VALUES (?,?,?,?,?,?,?,?,?)")
        let indicators = try RowInserter(db, sql: "INSERT INTO indicators VALUES (?,?,?,?,?,?,?)")
        for (pi, project) in doc.projects.enumerated() {
            try projects.insert(.int(id), .int(pi), .text(project.name), .text(project.total?.text),
                                .int(project.total?.decimals), .text(project.fiscal?.text),
                                .int(project.fiscal?.decimals), .int(project.line), .text(project.unit))
            for (ii, ind) in project.indicators.enumerated() {
                try indicators.insert(.int(id), .int(pi), .int(ii), .text(ind.l1), .text(ind.l2), .text(ind.l3),
                                      .text(ind.value))
            }
        }
        let facts = try RowInserter(db, sql: """
            INSERT INTO facts (doc, idx, key, value, value_decimals, change, change_decimals, pct, share,
                               part, line, text, unit, share_of) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """)
        for (fi, fact) in doc.facts.enumerated() {
            try facts.insert(.int(id), .int(fi), .text(fact.key), .text(fact.value.text), .int(fact.value.decimals),
                             .text(fact.change?.text), .int(fact.change?.decimals), .text(fact.pct?.text),
                             .text(fact.share?.text), .text(fact.part), .int(fact.line), .text(fact.text), .text(fact.unit),
                             .text(fact.shareOf))
        }
        try insertFindings(doc.findings ?? [], doc: id, origin: "document", in: db)
    }

    /// The unit answers across documents are given in (`sum`, `top`, `compare`, Y-CHANGE).
    public static let commonUnit = "万元"

    /// An amount printed in `unit` (nil: unknown, taken as it is) in `commonUnit`: with its
    /// rounding interval where the unit is finer (元), exactly where it is coarser (亿元).
    static func inCommonUnit(_ a: Amount, unit: String?) -> Amount {
        guard let unit, unit != commonUnit else { return a }
        return a.converted(from: unit, to: commonUnit) ?? a.scaled(from: unit, to: commonUnit) ?? a
    }

    static func insertFindings(_ findings: [Finding], doc id: Int64, origin: String, in db: Database) throws {
        let insert = try RowInserter(db, sql: "INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?)")
        for (i, f) in findings.enumerated() {
            try insert.insert(.int(id), .text(origin), .int(i), .text(f.rule), .text(f.severity.rawValue),
                              .text(f.message), .text(refsJSON(f.refs)), .text(describe(f.refs)), .text(f.expected),
                              .text(f.found))
        }
    }

    static func refsJSON(_ refs: [FindingRef]) -> String {
        AnswerJSON.array(refs.map { refJSON($0) }).serialized(pretty: false)
    }

    static func refJSON(_ r: FindingRef) -> AnswerJSON {
        var fields: [(String, AnswerJSON)] = []
        if let t = r.table { fields.append(("table", .string(t))) }
        if let c = r.code { fields.append(("code", .string(c))) }
        if let l = r.label { fields.append(("label", .string(l))) }
        if let c = r.column { fields.append(("column", .string(c))) }
        if let l = r.line { fields.append(("line", .int(l))) }
        return .object(fields)
    }

    /// `income 2080109 total; line 301`: where a finding looks, for people.
    static func describe(_ refs: [FindingRef]) -> String {
        refs.map { r in
            var parts: [String] = []
            if let t = r.table { parts.append(t) }
            if let c = r.code { parts.append(c) }
            if let l = r.label { parts.append(l) }
            if let c = r.column { parts.append(c) }
            if let l = r.line { parts.append("line \(l)") }
            return parts.joined(separator: " ")
        }.joined(separator: "; ")
    }

    static func decodeRefs(_ text: String) -> [FindingRef] {
        (try? JSONDecoder().decode([FindingRef].self, from: Data(text.utf8))) ?? []
    }

    /// `2026-12-02T04:32:32Z` (UTC, seconds): what ISO8601DateFormatter writes, without building one
    /// per put (that took a seventh of a put's time).
    static func timestamp(_ date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var t = tm()
        gmtime_r(&seconds, &t)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(t.tm_year + 1900)-\(two(t.tm_mon + 1))-\(two(t.tm_mday))T\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec))Z"
    }

    // MARK: reading

    /// The stored document (by doc_id or a unique prefix), its findings including those the store
    /// added (Y-CHANGE). Nil when no document matches.
    public func document(id: String) throws -> BudgetDocument? {
        try reader.read { db in
            guard let pk = try Store.resolveOptional(id, in: db) else { return nil }
            return try Store.loadDocument(pk: pk, in: db)
        }
    }

    static func loadDocument(pk: Int64, in db: Database) throws -> BudgetDocument {
        let row = try GRDB.Row.fetchOne(db, sql: """
            SELECT d.doc_id, j.json FROM documents d JOIN document_json j ON j.doc = d.id WHERE d.id = ?
            """, arguments: [pk])
        guard let row else { throw StoreError.documentNotFound("#\(pk)") }
        let docID: String = row[0]
        let json: String = row[1]
        var doc: BudgetDocument
        do {
            doc = try DocumentJSON.decode(Data(json.utf8))
        } catch {
            throw StoreError.corruptDocument(docID: docID, reason: "\(error)")
        }
        let added = try storeFindings(doc: pk, in: db)
        if !added.isEmpty { doc.findings = (doc.findings ?? []) + added }
        return doc
    }

    static func storeFindings(doc: Int64, in db: Database) throws -> [Finding] {
        try GRDB.Row.fetchAll(db, sql: """
            SELECT rule, severity, message, refs, expected, found FROM findings
            WHERE doc = ? AND origin = 'store' ORDER BY idx
            """, arguments: [doc]).map { r in
            Finding(rule: r[0], severity: Severity(rawValue: r[1]) ?? .info, message: r[2],
                    refs: decodeRefs(r[3]), expected: r[4], found: r[5])
        }
    }

    /// The primary key of the document whose doc_id is `id` or starts with it (`sha256:` may be
    /// left out). Throws when the prefix is ambiguous; nil when nothing matches.
    static func resolveOptional(_ id: String, in db: Database) throws -> Int64? {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw StoreError.badQuery("empty document id") }
        if let pk = try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE doc_id = ?", arguments: [trimmed]) {
            return pk
        }
        var prefixes = [trimmed]
        if !trimmed.contains(":") { prefixes.append("sha256:" + trimmed) }
        for prefix in prefixes {
            let rows = try GRDB.Row.fetchAll(db, sql: """
                SELECT id, doc_id FROM documents WHERE doc_id >= ? AND doc_id < ? ORDER BY doc_id LIMIT 6
                """, arguments: [prefix, prefix + "\u{10FFFF}"])
            if rows.count == 1 { return rows[0][0] }
            if rows.count > 1 {
                throw StoreError.ambiguousDocument(prefix: trimmed, candidates: rows.map { $0[1] as String })
            }
        }
        // Last resort: a prefix of the part after any scheme (`file:000_…`), by a scan.
        if !trimmed.contains(":") {
            let rows = try GRDB.Row.fetchAll(db, sql: """
                SELECT id, doc_id FROM documents
                WHERE instr(doc_id, ':') > 0 AND substr(doc_id, instr(doc_id, ':') + 1, ?) = ?
                ORDER BY doc_id LIMIT 6
                """, arguments: [trimmed.count, trimmed])
            if rows.count == 1 { return rows[0][0] }
            if rows.count > 1 {
                throw StoreError.ambiguousDocument(prefix: trimmed, candidates: rows.map { $0[1] as String })
            }
        }
        return nil
    }

    static func resolve(_ id: String, in db: Database) throws -> Int64 {
        guard let pk = try resolveOptional(id, in: db) else { throw StoreError.documentNotFound(id) }
        return pk
    }

    /// Every stored doc_id with its number of copies (always 1: `doc_id` is unique).
    public func inventory() throws -> [String: Int] {
        try reader.read { db in
            var out: [String: Int] = [:]
            let cursor = try GRDB.Row.fetchCursor(db, sql: "SELECT doc_id, count(*) FROM documents GROUP BY doc_id")
            while let r = try cursor.next() { out[r[0] as String] = r[1] as Int }
            return out
        }
    }

    /// Number of stored documents.
    public func documentCount() throws -> Int {
        try reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0 }
    }
}
