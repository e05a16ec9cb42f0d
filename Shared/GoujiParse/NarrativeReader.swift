import GoujiModel

/// Facts stated in the narrative (MODEL.md "Facts").
public enum NarrativeReader {
    /// `prose`: the document's non-table lines, in order, with their source numbers.
    public static func facts(in prose: [SourceLine]) -> [Fact] {
        [] // Being written (owner: narr branch).
    }
}
