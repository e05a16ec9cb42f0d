import GoujiModel
import GRDB

/// The store's versioned schema. Each migration is applied once, in order, inside a transaction;
/// `docs/SCHEMA.md` documents every table, column and view. Never edit a shipped migration: add one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-core") { db in
            try db.execute(sql: v1)
        }
        m.registerMigration("v1-views") { db in
            try db.execute(sql: v1Views)
        }
        m.registerMigration("v2-code-amounts") { db in
            try db.execute(sql: v2CodeAmounts)
        }
        m.registerMigration("v3-currency-units") { db in
            try db.execute(sql: v3CurrencyUnits)
            try commonUnitCodeAmounts(db)
        }
        m.registerMigration("v4-share-of") { db in
            try db.execute(sql: v4ShareOf)
        }
        return m
    }

    /// What a narrative share is of, as printed after 占 (`Fact.shareOf`). Facts stored before v4
    /// have none (their documents were parsed without it).
    static let v4ShareOf = """
    ALTER TABLE facts ADD COLUMN share_of TEXT;

    DROP VIEW IF EXISTS v_facts;
    CREATE VIEW v_facts AS
        SELECT d.doc_id, d.unit_name AS unit, d.fiscal_year AS year, f.key, f.value, f.change,
               f.pct, f.share, f.share_of, f.part, f.line, f.text, coalesce(f.unit, d.currency_unit) AS currency_unit
        FROM facts f JOIN documents d ON d.id = f.doc;
    """

    /// Where a table, project or narrative amount is printed in another unit than its document's
    /// `currency_unit` (`Table.currencyUnit`, `Project.unit`, `Fact.unit`), that unit; queries that
    /// sum or compare across documents convert to `Store.commonUnit` with it.
    static let v3CurrencyUnits = """
    ALTER TABLE tables ADD COLUMN currency_unit TEXT;
    ALTER TABLE projects ADD COLUMN unit TEXT;
    ALTER TABLE facts ADD COLUMN unit TEXT;

    DROP VIEW IF EXISTS v_cells;
    CREATE VIEW v_cells AS
        SELECT d.doc_id, d.unit_name AS unit, d.fiscal_year AS year, c.table_kind AS "table",
               c.table_kind, c.first_of_kind, c.code, c.label, c.side, c.col AS "column",
               c.amount, c.decimals, coalesce(t.currency_unit, d.currency_unit) AS currency_unit
        FROM cells c JOIN documents d ON d.id = c.doc JOIN tables t ON t.doc = c.doc AND t.idx = c.table_idx;

    DROP VIEW IF EXISTS v_facts;
    CREATE VIEW v_facts AS
        SELECT d.doc_id, d.unit_name AS unit, d.fiscal_year AS year, f.key, f.value, f.change,
               f.pct, f.share, f.part, f.line, f.text, coalesce(f.unit, d.currency_unit) AS currency_unit
        FROM facts f JOIN documents d ON d.id = f.doc;

    DROP VIEW IF EXISTS v_projects;
    CREATE VIEW v_projects AS
        SELECT d.doc_id, d.unit_name AS unit, d.fiscal_year AS year, p.name AS project,
               p.total, p.fiscal, (SELECT count(*) FROM indicators i
                                   WHERE i.doc = p.doc AND i.project_idx = p.idx) AS indicators,
               coalesce(p.unit, d.currency_unit) AS currency_unit
        FROM projects p JOIN documents d ON d.id = p.doc;
    """

    /// `code_amounts` holds amounts in `Store.commonUnit` from v3 on: rows stored before it, of
    /// documents in another unit, are converted.
    static func commonUnitCodeAmounts(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.code, c.col, c.doc, c.amount, d.currency_unit FROM code_amounts c JOIN documents d ON d.id = c.doc
            WHERE d.currency_unit IS NOT NULL AND d.currency_unit != ?
            """, arguments: [Store.commonUnit])
        for r in rows {
            guard let a = Amount(r[3] as String) else { continue }
            let converted = Store.inCommonUnit(a, unit: r[4])
            try db.execute(sql: "UPDATE code_amounts SET amount = ? WHERE code = ? AND col = ? AND doc = ?",
                           arguments: [converted.text, r[0] as String, r[1] as String, r[2] as Int64])
        }
    }

    static let v1 = """
    CREATE TABLE documents (
        id              INTEGER PRIMARY KEY,
        doc_id          TEXT NOT NULL UNIQUE,
        schema          TEXT NOT NULL,
        unit_name       TEXT,
        unit_code       TEXT,
        unit_key        TEXT,
        supervisor_name TEXT,
        supervisor_code TEXT,
        fiscal_year     INTEGER,
        kind            TEXT,
        scope           TEXT,
        currency_unit   TEXT,
        source_name     TEXT NOT NULL,
        source_format   TEXT NOT NULL,
        source_bytes    INTEGER,
        parser_version  TEXT,
        staff_authorized INTEGER,
        staff_actual    INTEGER,
        staff_in_service INTEGER,
        staff_retired   INTEGER,
        ingested_at     TEXT NOT NULL,
        replaced_at     TEXT
    );
    CREATE INDEX documents_unit_year ON documents(unit_key, kind, fiscal_year);
    CREATE INDEX documents_year ON documents(fiscal_year);

    CREATE TABLE document_json (
        doc   INTEGER PRIMARY KEY,
        json  TEXT NOT NULL
    );

    CREATE TABLE tables (
        doc           INTEGER NOT NULL,
        idx           INTEGER NOT NULL,
        kind          TEXT NOT NULL,
        first_of_kind INTEGER NOT NULL,
        title         TEXT NOT NULL,
        line          INTEGER NOT NULL,
        empty         INTEGER NOT NULL,
        columns       TEXT NOT NULL,
        note          TEXT,
        PRIMARY KEY (doc, idx)
    ) WITHOUT ROWID;

    CREATE TABLE rows (
        doc        INTEGER NOT NULL,
        table_idx  INTEGER NOT NULL,
        idx        INTEGER NOT NULL,
        code       TEXT,
        label      TEXT NOT NULL,
        side       TEXT,
        line       INTEGER,
        PRIMARY KEY (doc, table_idx, idx)
    ) WITHOUT ROWID;

    CREATE TABLE cells (
        doc           INTEGER NOT NULL,
        table_idx     INTEGER NOT NULL,
        row_idx       INTEGER NOT NULL,
        col           TEXT NOT NULL,
        table_kind    TEXT NOT NULL,
        first_of_kind INTEGER NOT NULL,
        code          TEXT,
        label         TEXT NOT NULL,
        side          TEXT,
        amount        TEXT NOT NULL,
        decimals      INTEGER NOT NULL,
        PRIMARY KEY (doc, table_idx, row_idx, col)
    ) WITHOUT ROWID;
    CREATE INDEX cells_code ON cells(code, table_kind, col, first_of_kind, doc, table_idx, row_idx, amount)
        WHERE code IS NOT NULL;

    CREATE TABLE projects (
        doc             INTEGER NOT NULL,
        idx             INTEGER NOT NULL,
        name            TEXT NOT NULL,
        total           TEXT,
        total_decimals  INTEGER,
        fiscal          TEXT,
        fiscal_decimals INTEGER,
        line            INTEGER,
        PRIMARY KEY (doc, idx)
    ) WITHOUT ROWID;

    CREATE TABLE indicators (
        doc          INTEGER NOT NULL,
        project_idx  INTEGER NOT NULL,
        idx          INTEGER NOT NULL,
        l1           TEXT NOT NULL,
        l2           TEXT NOT NULL,
        l3           TEXT NOT NULL,
        value        TEXT NOT NULL,
        PRIMARY KEY (doc, project_idx, idx)
    ) WITHOUT ROWID;

    CREATE TABLE facts (
        doc             INTEGER NOT NULL,
        idx             INTEGER NOT NULL,
        key             TEXT NOT NULL,
        value           TEXT NOT NULL,
        value_decimals  INTEGER NOT NULL,
        change          TEXT,
        change_decimals INTEGER,
        pct             TEXT,
        share           TEXT,
        part            TEXT,
        line            INTEGER NOT NULL,
        text            TEXT,
        PRIMARY KEY (doc, idx)
    ) WITHOUT ROWID;
    CREATE INDEX facts_key ON facts(key);

    CREATE TABLE findings (
        doc       INTEGER NOT NULL,
        origin    TEXT NOT NULL,
        idx       INTEGER NOT NULL,
        rule      TEXT NOT NULL,
        severity  TEXT NOT NULL,
        message   TEXT NOT NULL,
        refs      TEXT NOT NULL,
        location  TEXT NOT NULL,
        expected  TEXT NOT NULL,
        found     TEXT NOT NULL,
        PRIMARY KEY (doc, origin, idx)
    ) WITHOUT ROWID;
    CREATE INDEX findings_severity ON findings(severity, rule, doc);
    CREATE INDEX findings_rule ON findings(rule, doc);
    """

    /// `sum --code` and `top --code` read one amount per document and column from a table kept at
    /// `put`, already joined with the document's name and year: one range scan instead of a scan of
    /// the cells index plus a pass over every document. `units` holds each unit's distinct names and
    /// codes (a unit has one document per year and kind), so `--unit TEXT` searches it rather than
    /// every document ('' stands for a missing name or code). `cells_code` goes: keyed by code, it put
    /// each of a document's ~180 cells on a different leaf page, so every put rewrote ~180 index pages
    /// into the WAL (half of all its writes, strace on the store bench), and nothing reads it any more.
    static let v2CodeAmounts = """
    CREATE TABLE code_amounts (
        code      TEXT NOT NULL,
        col       TEXT NOT NULL,
        doc       INTEGER NOT NULL,
        doc_id    TEXT NOT NULL,
        unit_name TEXT,
        year      INTEGER,
        label     TEXT NOT NULL,
        amount    TEXT NOT NULL,
        PRIMARY KEY (code, col, doc)
    ) WITHOUT ROWID;
    CREATE INDEX code_amounts_doc ON code_amounts(doc);
    DROP INDEX IF EXISTS cells_code;
    INSERT OR IGNORE INTO code_amounts
        SELECT c.code, c.col, c.doc, d.doc_id, d.unit_name, d.fiscal_year, c.label, c.amount
        FROM cells c JOIN documents d ON d.id = c.doc
        WHERE c.code IS NOT NULL AND c.table_kind = 'expenditure' AND c.first_of_kind = 1
        ORDER BY c.doc, c.table_idx, c.row_idx;

    CREATE TABLE units (
        unit_key  TEXT NOT NULL,
        unit_name TEXT NOT NULL,
        unit_code TEXT NOT NULL,
        PRIMARY KEY (unit_key, unit_name, unit_code)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO units
        SELECT unit_key, coalesce(unit_name, ''), coalesce(unit_code, '') FROM documents WHERE unit_key IS NOT NULL;
    """

    static let v1Views = """
    CREATE VIEW v_documents AS
        SELECT d.doc_id, d.unit_name AS unit, d.unit_code, d.fiscal_year AS year, d.kind, d.scope,
               d.supervisor_name AS supervisor, d.currency_unit, d.source_name, d.parser_version,
               d.ingested_at,
               (SELECT count(*) FROM tables t WHERE t.doc = d.id) AS tables,
               (SELECT count(*) FROM findings f WHERE f.doc = d.id AND f.severity = 'error') AS errors,
               (SELECT count(*) FROM findings f WHERE f.doc = d.id AND f.severity = 'warning') AS warnings,
               (SELECT count(*) FROM findings f WHERE f.doc = d.id AND f.severity = 'info') AS infos
        FROM documents d;

    CREATE VIEW v_cells AS
        SELECT d.doc_id, d.unit_name AS unit, d.fiscal_year AS year, c.table_kind AS "table",
               c.table_kind, c.first_of_kind, c.code, c.label, c.side, c.col AS "column",
               c.amount, c.decimals, d.currency_unit
        FROM cells c JOIN documents d ON d.id = c.doc;

    CREATE VIEW v_facts AS
        SELECT d.doc_id, d.unit_name AS unit, d.fiscal_year AS year, f.key, f.value, f.change,
               f.pct, f.share, f.part, f.line, f.text
        FROM facts f JOIN documents d ON d.id = f.doc;

    CREATE VIEW v_findings AS
        SELECT d.doc_id, d.unit_name AS unit, d.fiscal_year AS year, f.rule, f.severity,
               f.message, f.expected, f.found, f.location, f.refs, f.origin
        FROM findings f JOIN documents d ON d.id = f.doc;

    CREATE VIEW v_projects AS
        SELECT d.doc_id, d.unit_name AS unit, d.fiscal_year AS year, p.name AS project,
               p.total, p.fiscal, (SELECT count(*) FROM indicators i
                                   WHERE i.doc = p.doc AND i.project_idx = p.idx) AS indicators
        FROM projects p JOIN documents d ON d.id = p.doc;

    CREATE VIEW v_indicators AS
        SELECT d.doc_id, d.unit_name AS unit, d.fiscal_year AS year, p.name AS project,
               i.l1, i.l2, i.l3, i.value
        FROM indicators i JOIN projects p ON p.doc = i.doc AND p.idx = i.project_idx
        JOIN documents d ON d.id = i.doc;

    CREATE VIEW v_findings_summary AS
        SELECT severity, rule, count(*) AS findings, count(DISTINCT doc) AS documents
        FROM findings GROUP BY severity, rule;
    """
}
