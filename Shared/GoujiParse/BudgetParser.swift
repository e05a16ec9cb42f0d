import GoujiModel

/// Turns a disclosure's text into a `budget-doc/1` document. Pure: no I/O.
///
/// Stages: `SourceText` (lines) → `MetadataReader` (kind, year, unit, staffing) → `TableReader`
/// (tables, TOC, captions, prose) → `ProjectReader` (performance tables, project list) →
/// `NarrativeReader` (facts from prose).
public struct BudgetParser: Sendable {
    public static let version = "0.2.0"

    public init() {}

    public func parse(text: String, source: Source, docID: String? = nil) -> BudgetDocument {
        let src = SourceText(text)
        var doc = BudgetDocument(docID: docID, source: source, parserVersion: BudgetParser.version)
        if src.lines.allSatisfy(\.isBlank) {
            doc.parseNotes.append(ParseNote(message: "the input has no text: nothing to parse (check the extraction step)"))
            return doc
        }
        MetadataReader.read(src, into: &doc)
        let reading = TableReader.read(src)
        doc.tables = reading.tables
        doc.toc = reading.toc
        doc.captions = reading.captions
        doc.prose = reading.prose.map { TextLine(line: $0.number, text: $0.text) }
        doc.parseNotes.append(contentsOf: reading.notes)
        var projects: [Project] = []
        for slice in reading.performanceSlices {
            if let p = ProjectReader.project(fromPerformance: slice.lines) { projects.append(p) }
        }
        if reading.performanceSlices.isEmpty {
            for t in reading.tables where t.kind == .projectList {
                projects.append(contentsOf: ProjectReader.projects(fromList: t))
            }
        }
        doc.projects = projects
        if reading.tables.isEmpty {
            doc.parseNotes.append(ParseNote(message: "no budget tables found: no line reads as a table title (…总表, …支出表, …“三公”经费…表); only narrative was read"))
        }
        let unreadable = src.lines.reduce(0) { $0 + ($1.raw.unicodeScalars.contains { $0 == "\u{FFFD}" } ? 1 : 0) }
        if unreadable > 0 {
            doc.parseNotes.append(ParseNote(message: "\(unreadable) line(s) contain undecodable bytes (U+FFFD); the source may not be UTF-8 text"))
        }
        doc.facts = NarrativeReader.facts(in: reading.prose)
        return doc
    }
}
