import ArgumentParser
import Foundation
import GoujiFormat
import GoujiModel
import GoujiRuntime
import GoujiStore

// The query subcommands of `gouji` (issue 5). Each builds a `StoreQuery`, hands it to the executor
// that `makeQueryExecutor(home:)` returns (the store service's client, or the store file opened
// read-only) and prints the response as table, JSON or CSV.

enum QueryOutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table, json, csv
}

struct QueryFormatOption: ParsableArguments {
    @Option(name: .long, help: "Output format: table, json or csv.")
    var format: QueryOutputFormat = .table
}

/// Runs one query and prints it. Errors propagate (ArgumentParser prints them and exits non-zero).
func runQuery(_ query: StoreQuery, format: QueryOutputFormat) throws {
    let executor = try makeQueryExecutor(home: GoujiHome.resolve().root)
    let response = try executor.execute(query)
    Output.write(QueryRendering.render(response, as: format), page: format == .table)
}

enum QueryRendering {
    static func textTable(_ section: ResultSection) -> TextTable {
        TextTable(title: section.title,
                  columns: section.columns.map { TextTable.Column($0.name, alignment: $0.numeric ? .right : .left) },
                  rows: section.rows)
    }

    /// table: every section aligned (titles, a blank line between sections, then the notes);
    /// csv: each section's records (sections separated by an empty line); json: the response's JSON.
    static func render(_ response: QueryResponse, as format: QueryOutputFormat) -> String {
        switch format {
        case .json:
            return response.json.hasSuffix("\n") ? response.json : response.json + "\n"
        case .csv:
            return response.sections.map { textTable($0).renderCSV() }.joined(separator: "\r\n")
        case .table:
            var out = response.sections.map { textTable($0).renderAligned() }.joined(separator: "\n")
            if !response.notes.isEmpty { out += "\n" + response.notes.joined(separator: "\n") + "\n" }
            return out
        }
    }
}

struct Ls: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List stored documents.")
    @Option(help: "Only documents of this fiscal year.") var year: Int?
    @Option(help: "Only units whose name contains this text (or whose code is this).") var unit: String?
    @OptionGroup var output: QueryFormatOption
    func run() throws { try runQuery(.ls(year: year, unit: unit), format: output.format) }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a document's tables as the original lays them out (codes, labels, columns).")
    @Argument(help: "A doc_id or a unique prefix of it (see `gouji ls`).") var doc: String
    @Option(help: "Only tables of this kind: \(TableKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var table: String?
    @OptionGroup var output: QueryFormatOption

    func validate() throws {
        if let table, TableKind(rawValue: table) == nil {
            throw ValidationError("unknown table kind \(table); use one of \(TableKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        try runQuery(.show(doc: doc, table: table.flatMap(TableKind.init(rawValue:))), format: output.format)
    }
}

struct Findings: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List reconciliation findings, or count them with --summary.")
    @Option(help: "error, warning or info.") var severity: String?
    @Option(help: "A rule id such as X-TOTAL or Y-CHANGE.") var rule: String?
    @Option(help: "Only units whose name contains this text (or whose code is this).") var unit: String?
    @Flag(help: "Counts by severity and by rule instead of the list.") var summary = false
    @OptionGroup var output: QueryFormatOption

    func validate() throws {
        if let severity, Severity(rawValue: severity) == nil {
            throw ValidationError("unknown severity \(severity); use error, warning or info")
        }
        if summary && (severity != nil || rule != nil || unit != nil) {
            throw ValidationError("--summary counts every finding; drop --severity/--rule/--unit")
        }
    }

    func run() throws {
        let query: StoreQuery = summary ? .summary
            : .findings(severity: severity.flatMap(Severity.init(rawValue:)), rule: rule, unit: unit)
        try runQuery(query, format: output.format)
    }
}

struct Sum: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sum one function code across units, from each document's expenditure table (exact decimals).")
    @Option(help: "A function classification code, e.g. 2080109.") var code: String
    @Option(help: "Column key: total, basic, project, … (default total).") var column: String?
    @Option(help: "Only documents of this fiscal year.") var year: Int?
    @OptionGroup var output: QueryFormatOption
    func run() throws { try runQuery(.sum(code: code, column: column, year: year), format: output.format) }
}

struct Top: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The largest amounts of a function code (expenditure 合计) or of a narrative fact key.")
    @Option(help: "A function classification code.") var code: String?
    @Option(help: "A fact key such as income.total or three_public.reception.") var fact: String?
    @Option(help: "How many (default 10).") var n: Int = 10
    @OptionGroup var output: QueryFormatOption

    func validate() throws {
        if (code == nil) == (fact == nil) { throw ValidationError("give exactly one of --code CODE or --fact KEY") }
        if n < 1 { throw ValidationError("--n must be at least 1") }
    }

    func run() throws { try runQuery(.top(code: code, fact: fact, n: n), format: output.format) }
}

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "One unit's documents year over year.")
    @Argument(help: "A unit name (or part of it) or code.") var unit: String
    @OptionGroup var output: QueryFormatOption
    func run() throws { try runQuery(.compare(unit: unit), format: output.format) }
}

struct Sql: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one read-only SQL statement (views: v_documents, v_cells, v_facts, v_findings, v_projects, v_indicators, v_findings_summary).")
    @Argument(help: "A SELECT statement.") var statement: String
    @OptionGroup var output: QueryFormatOption
    func run() throws { try runQuery(.sql(statement), format: output.format) }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a document: the whole budget-doc/1 JSON, or its cells as CSV.")
    @Argument(help: "A doc_id or a unique prefix of it.") var doc: String
    @Option(name: .long, help: "json (the document), csv (its cells) or table.")
    var format: QueryOutputFormat = .json
    func run() throws { try runQuery(.export(doc: doc), format: format) }
}
