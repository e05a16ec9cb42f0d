/// The canonical document model, schema `budget-doc/1` (see shared/spec/MODEL.md).
///
/// Field names in JSON are snake_case exactly as MODEL.md prints them. Fields beyond MODEL.md
/// (`toc`, `captions`, `prose`, `parse_notes`, a table's `columns`/`units`/`note`) carry what the
/// reconciliation rules need to see of the source; MODEL.md allows added fields.
public struct BudgetDocument: Codable, Sendable, Equatable {
    public static let schemaName = "budget-doc/1"

    public var schema: String
    public var docID: String?
    public var source: Source
    public var kind: DocumentKind?
    public var fiscalYear: Int?
    public var scope: Scope?
    public var unit: UnitRef?
    public var supervisor: UnitRef?
    public var currencyUnit: String?
    public var staffing: Staffing
    public var tables: [Table]
    public var projects: [Project]
    public var facts: [Fact]
    /// Table-of-contents entries (a TOC line is not a table; D-TABLES compares them with the body).
    public var toc: [TocEntry]
    /// Part titles and table/column captions that print a year (D-YEAR).
    public var captions: [Caption]
    /// Prose lines outside tables: narrative, notes under tables, performance-goal text (D-TEXT, D-EMPTY).
    public var prose: [TextLine]
    /// What the parser could not settle on its own (ambiguous column assignment, unreadable lines).
    public var parseNotes: [ParseNote]
    public var parserVersion: String?
    /// Present once reconciliation has run.
    public var findings: [Finding]?

    public init(
        docID: String? = nil, source: Source, kind: DocumentKind? = nil, fiscalYear: Int? = nil,
        scope: Scope? = nil, unit: UnitRef? = nil, supervisor: UnitRef? = nil,
        currencyUnit: String? = nil, staffing: Staffing = Staffing(), tables: [Table] = [],
        projects: [Project] = [], facts: [Fact] = [], toc: [TocEntry] = [], captions: [Caption] = [],
        prose: [TextLine] = [], parseNotes: [ParseNote] = [], parserVersion: String? = nil,
        findings: [Finding]? = nil
    ) {
        self.schema = BudgetDocument.schemaName
        self.docID = docID
        self.source = source
        self.kind = kind
        self.fiscalYear = fiscalYear
        self.scope = scope
        self.unit = unit
        self.supervisor = supervisor
        self.currencyUnit = currencyUnit
        self.staffing = staffing
        self.tables = tables
        self.projects = projects
        self.facts = facts
        self.toc = toc
        self.captions = captions
        self.prose = prose
        self.parseNotes = parseNotes
        self.parserVersion = parserVersion
        self.findings = findings
    }

    enum CodingKeys: String, CodingKey {
        case schema
        case docID = "doc_id"
        case source, kind
        case fiscalYear = "fiscal_year"
        case scope, unit, supervisor
        case currencyUnit = "currency_unit"
        case staffing, tables, projects, facts, toc, captions, prose
        case parseNotes = "parse_notes"
        case parserVersion = "parser_version"
        case findings
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decodeIfPresent(String.self, forKey: .schema) ?? BudgetDocument.schemaName
        docID = try c.decodeIfPresent(String.self, forKey: .docID)
        source = try c.decodeIfPresent(Source.self, forKey: .source) ?? Source(name: "", format: .text)
        kind = try c.decodeIfPresent(DocumentKind.self, forKey: .kind)
        fiscalYear = try c.decodeIfPresent(Int.self, forKey: .fiscalYear)
        scope = try c.decodeIfPresent(Scope.self, forKey: .scope)
        unit = try c.decodeIfPresent(UnitRef.self, forKey: .unit)
        supervisor = try c.decodeIfPresent(UnitRef.self, forKey: .supervisor)
        currencyUnit = try c.decodeIfPresent(String.self, forKey: .currencyUnit)
        staffing = try c.decodeIfPresent(Staffing.self, forKey: .staffing) ?? Staffing()
        tables = try c.decodeIfPresent([Table].self, forKey: .tables) ?? []
        projects = try c.decodeIfPresent([Project].self, forKey: .projects) ?? []
        facts = try c.decodeIfPresent([Fact].self, forKey: .facts) ?? []
        toc = try c.decodeIfPresent([TocEntry].self, forKey: .toc) ?? []
        captions = try c.decodeIfPresent([Caption].self, forKey: .captions) ?? []
        prose = try c.decodeIfPresent([TextLine].self, forKey: .prose) ?? []
        parseNotes = try c.decodeIfPresent([ParseNote].self, forKey: .parseNotes) ?? []
        parserVersion = try c.decodeIfPresent(String.self, forKey: .parserVersion)
        findings = try c.decodeIfPresent([Finding].self, forKey: .findings)
    }

    /// The first table of a kind, if any.
    public func table(_ kind: TableKind) -> Table? { tables.first { $0.kind == kind } }
    /// Every table of a kind, in document order.
    public func tables(_ kind: TableKind) -> [Table] { tables.filter { $0.kind == kind } }
}

public struct Source: Codable, Sendable, Equatable {
    public var name: String
    public var format: SourceFormat
    public var bytes: Int?
    public init(name: String, format: SourceFormat, bytes: Int? = nil) {
        self.name = name
        self.format = format
        self.bytes = bytes
    }
}

public enum SourceFormat: String, Codable, Sendable {
    case text, pdf
}

public enum DocumentKind: String, Codable, Sendable {
    case budget
    case finalAccounts = "final_accounts"
}

public enum Scope: String, Codable, Sendable {
    case unit, department
}

public struct UnitRef: Codable, Sendable, Equatable, Hashable {
    public var name: String?
    public var code: String?
    public init(name: String?, code: String?) {
        self.name = name
        self.code = code
    }
}

public struct Staffing: Codable, Sendable, Equatable {
    public var authorized: Int?
    public var actual: Int?
    public var inService: Int?
    public var retired: Int?
    public init(authorized: Int? = nil, actual: Int? = nil, inService: Int? = nil, retired: Int? = nil) {
        self.authorized = authorized
        self.actual = actual
        self.inService = inService
        self.retired = retired
    }
    enum CodingKeys: String, CodingKey {
        case authorized, actual
        case inService = "in_service"
        case retired
    }
}

/// A line of the source that is not part of a table, with its 1-based line number.
public struct TextLine: Codable, Sendable, Equatable {
    public var line: Int
    public var text: String
    public init(line: Int, text: String) {
        self.line = line
        self.text = text
    }
}

public struct TocEntry: Codable, Sendable, Equatable {
    public var title: String
    public var kind: TableKind
    public var line: Int
    public init(title: String, kind: TableKind, line: Int) {
        self.title = title
        self.kind = kind
        self.line = line
    }
}

/// A printed caption that carries a year: a part title (第二部分 … 2024 年部门预算表), a table's
/// year caption (（2024 年度）), or a column caption (2024 年预算数).
public struct Caption: Codable, Sendable, Equatable {
    public enum Role: String, Codable, Sendable {
        case part, table, column
    }
    public var role: Role
    public var text: String
    /// The year as read (`2,024` reads as 2024 with `formatted` true); nil where none could be read.
    public var year: Int?
    /// True when the year was printed with a thousands separator or other number formatting.
    public var formatted: Bool
    public var line: Int
    /// Index into `tables` of the table the caption belongs to, if any.
    public var table: Int?
    public init(role: Role, text: String, year: Int?, formatted: Bool = false, line: Int, table: Int? = nil) {
        self.role = role
        self.text = text
        self.year = year
        self.formatted = formatted
        self.line = line
        self.table = table
    }
}

public struct ParseNote: Codable, Sendable, Equatable {
    public var line: Int?
    public var table: Int?
    public var message: String
    public init(line: Int? = nil, table: Int? = nil, message: String) {
        self.line = line
        self.table = table
        self.message = message
    }
}
