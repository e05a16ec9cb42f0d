import GoujiModel

/// Turns a disclosure's text into a `budget-doc/1` document. Pure: no I/O.
///
/// Stages: `SourceText` (lines; HTML and markdown table rows flattened to tab-separated lines by
/// `MarkupTables`, rows printed one cell per line joined by `CellLines`) → `MetadataReader` (kind, year, unit, staffing) → `TableReader`
/// (tables, TOC, captions, prose) → `ProjectReader` (performance tables, project list) →
/// `NarrativeReader` (facts from prose) → `CurrencyUnits` (tables and facts printed in another unit).
public struct BudgetParser: Sendable {
    public static let version = "0.2.0"

    /// Inputs beyond this many bytes are read only up to the last line that fits: a disclosure is a
    /// few hundred kilobytes, and the cap keeps time and memory bounded on pathological input.
    public let maxInputBytes: Int

    public init(maxInputBytes: Int = 16 << 20) {
        self.maxInputBytes = maxInputBytes
    }

    public func parse(text fullText: String, source: Source, docID: String? = nil) -> BudgetDocument {
        var doc = BudgetDocument(docID: docID, source: source, parserVersion: BudgetParser.version)
        var text = fullText
        let size = fullText.utf8.count
        if size > maxInputBytes {
            let utf8 = fullText.utf8
            var cut = utf8.index(utf8.startIndex, offsetBy: maxInputBytes)
            while cut > utf8.startIndex, utf8[utf8.index(before: cut)] != UInt8(ascii: "\n") { cut = utf8.index(before: cut) }
            text = String(fullText[..<cut])
            doc.parseNotes.append(ParseNote(message: "the input is \(size >> 20) MB, larger than a disclosure can be; only the first \(text.utf8.count >> 20) MB (whole lines) were read — split the file or check the extraction"))
        }
        let rows = MarkupTables.splittingRows(text)
        let src = CellLines.joiningRows(MarkupTables.flattened(SourceText(rows), text: rows))
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
            projects.append(contentsOf: ProjectReader.projects(fromPerformance: slice.lines))
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
        // Every line is a piece of `text` (less NULs and end spaces): a text without U+FFFD (one
        // byte search over it) has no line with one, and its lines are not searched one by one.
        let unreadable = text.has("\u{FFFD}") ? src.lines.reduce(0) { $0 + ($1.raw.has("\u{FFFD}") ? 1 : 0) } : 0
        if unreadable > 0 {
            doc.parseNotes.append(ParseNote(message: "\(unreadable) line(s) contain undecodable bytes (U+FFFD); the source may not be UTF-8 text"))
        }
        // Projects name the "…项目情况说明" headings; tables give codes to items the built-in list lacks.
        doc.facts = NarrativeReader.facts(in: reading.prose, projects: projects, tables: reading.tables,
                                           finalAccounts: doc.kind == .finalAccounts)
        CurrencyUnits.mark(&doc, lines: src.lines)
        return doc
    }
}
