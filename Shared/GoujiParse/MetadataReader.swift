import GoujiModel

/// Document metadata: kind, fiscal year, scope, unit and supervisor, currency unit, staffing.
public enum MetadataReader {
    public static func read(_ text: SourceText, into doc: inout BudgetDocument) {
        // Being written (owner: narr branch).
    }
}
