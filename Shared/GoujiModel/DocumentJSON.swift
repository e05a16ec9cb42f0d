import Foundation

/// The one way documents become JSON and back: stable key order, no escaped slashes, UTF-8.
public enum DocumentJSON {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            : [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    /// The document's canonical JSON: what `encoder(pretty:)` writes, byte for byte, written by
    /// `CanonicalJSONEncoder` (several times faster; the store compares documents by these bytes).
    public static func encode(_ document: BudgetDocument, pretty: Bool = false) throws -> Data {
        Data(try CanonicalJSONEncoder(pretty: pretty).encode(document))
    }

    public static func decode(_ data: Data) throws -> BudgetDocument {
        try JSONDecoder().decode(BudgetDocument.self, from: data)
    }
}
