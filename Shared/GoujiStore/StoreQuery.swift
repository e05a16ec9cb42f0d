import GoujiModel

/// Anything that answers store queries: the store itself, or a client of the store service.
public protocol QueryExecutor {
    func execute(_ q: StoreQuery) throws -> QueryResponse
}

/// The questions users ask of the store (issue 5). Codable so it can cross the service socket.
public enum StoreQuery: Codable, Sendable, Equatable {
    /// Documents, optionally of one fiscal year and/or whose unit name contains `unit`.
    case ls(year: Int?, unit: String?)
    /// A document's tables (or those of one kind) rendered like the original. `doc`: doc_id or a unique prefix.
    case show(doc: String, table: TableKind?)
    /// Findings, filtered by severity, rule id and/or unit-name substring.
    case findings(severity: Severity?, rule: String?, unit: String?)
    /// Σ of one function code's column (default `total`) in every document's expenditure table.
    case sum(code: String, column: String?, year: Int?)
    /// The largest amounts: of a function code in expenditure tables, or of a narrative fact key.
    case top(code: String?, fact: String?, n: Int?)
    /// One unit's documents year over year.
    case compare(unit: String)
    /// A read-only SQL statement.
    case sql(String)
    /// The whole document (JSON) and its cells (CSV).
    case export(doc: String)
    /// Findings counted by severity and by rule.
    case summary
}

/// A query's answer: sections of rows (what table and CSV output print) and the JSON text that
/// `--format json` prints verbatim.
public struct QueryResponse: Codable, Sendable, Equatable {
    public var sections: [ResultSection]
    /// Serialized JSON (UTF-8 text, stable key order, amounts as decimal strings).
    public var json: String
    /// Remarks for a person (printed after a table, never in JSON or CSV).
    public var notes: [String]

    public init(sections: [ResultSection], json: String, notes: [String] = []) {
        self.sections = sections
        self.json = json
        self.notes = notes
    }
}

public struct ResultSection: Codable, Sendable, Equatable {
    public var title: String?
    public var columns: [ResultColumn]
    public var rows: [[String?]]
    public init(title: String? = nil, columns: [ResultColumn], rows: [[String?]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }
}

public struct ResultColumn: Codable, Sendable, Equatable {
    public var name: String
    /// True for amounts and counts (right-aligned in table output).
    public var numeric: Bool
    public init(_ name: String, numeric: Bool = false) {
        self.name = name
        self.numeric = numeric
    }
}

/// Errors the store reports; each message says what to do.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case missingDocID(source: String)
    case storeNotFound(path: String)
    case documentNotFound(String)
    case ambiguousDocument(prefix: String, candidates: [String])
    case readOnlyStatement(String)
    case badQuery(String)
    case corruptDocument(docID: String, reason: String)

    public var description: String {
        switch self {
        case .missingDocID(let source):
            "document from \(source) has no doc_id: ingest assigns one (sha256 of the source bytes) before storing"
        case .storeNotFound(let path):
            "no store at \(path): ingest documents first (gouji ingest FILES), or set GOUJI_HOME to the right home"
        case .documentNotFound(let doc):
            "no document matches \(doc): list documents with `gouji ls`"
        case .ambiguousDocument(let prefix, let candidates):
            "\(prefix) matches several documents (\(candidates.joined(separator: ", "))): give a longer prefix"
        case .readOnlyStatement(let reason):
            "the sql command is read-only: \(reason). Use SELECT (or a read-only PRAGMA)"
        case .badQuery(let reason):
            "bad query: \(reason)"
        case .corruptDocument(let docID, let reason):
            "stored document \(docID) cannot be read (\(reason)): re-ingest it"
        }
    }
}

/// What `put` did.
public enum PutOutcome: String, Codable, Sendable, Equatable {
    /// A new doc_id.
    case inserted
    /// The same doc_id with identical content: nothing written.
    case unchanged
    /// The same doc_id with different content (e.g. a new parser version): every row replaced in one transaction.
    case replaced
}
