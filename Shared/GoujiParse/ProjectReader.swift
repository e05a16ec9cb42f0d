import GoujiModel

/// Projects and their performance indicators (MODEL.md "Projects").
public enum ProjectReader {
    /// One performance-target table: the lines from its title to the line before the next table.
    public static func project(fromPerformance lines: ArraySlice<SourceLine>) -> Project? {
        nil // Being written (owner: narr branch).
    }

    /// Projects from a project list table, for documents with no performance tables.
    public static func projects(fromList table: Table) -> [Project] {
        [] // Being written (owner: narr branch).
    }
}
