import GoujiModel

/// Turns a disclosure's text into a `budget-doc/1` document. Pure: no I/O.
///
/// Stages: `SourceText` (lines) → `MetadataReader` (kind, year, unit, staffing) → table reader
/// (tables, TOC, captions, prose) → `ProjectReader` (performance tables, project list) →
/// `NarrativeReader` (facts from prose).
public struct BudgetParser: Sendable {
    public static let version = "0.1.0"

    public init() {}

    public func parse(text: String, source: Source, docID: String? = nil) -> BudgetDocument {
        let src = SourceText(text)
        var doc = BudgetDocument(docID: docID, source: source, parserVersion: BudgetParser.version)
        MetadataReader.read(src, into: &doc)
        // Table reading is being written (owner: parse branch).
        doc.facts = NarrativeReader.facts(in: src.lines)
        return doc
    }
}
