import Foundation
import GoujiIngest
import GoujiModel

/// A document store of one durable JSON file per document (`<folder>/<sha256-hex>.json`),
/// idempotent on the document id. Used by gouji-store until the SQLite store is wired in.
public final class FileDocumentStore {
    public let folder: String

    public init(folder: String) throws(RuntimeError) {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .home("cannot create \(folder): \(error.localizedDescription)")
        }
    }

    private func path(_ docID: String) -> String {
        folder + "/" + docID.replacingOccurrences(of: ":", with: "-").filter { $0.isLetter || $0.isNumber || $0 == "-" } + ".json"
    }

    /// inserted, unchanged or replaced.
    public func put(_ doc: BudgetDocument) throws -> String {
        guard let id = doc.docID, !id.isEmpty else { throw RuntimeError.service("a stored document needs a doc_id") }
        let data = try DocumentJSON.encode(doc)
        let p = path(id)
        if let old = FileManager.default.contents(atPath: p) {
            if old == data { return "unchanged" }
            try DurableFile.write(data, to: p)
            return "replaced"
        }
        try DurableFile.write(data, to: p)
        return "inserted"
    }

    public func inventory() throws -> [String: Int] {
        var out: [String: Int] = [:]
        for f in try FileManager.default.contentsOfDirectory(atPath: folder) where f.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: folder + "/" + f),
                  let doc = try? DocumentJSON.decode(data), let id = doc.docID else { continue }
            out[id, default: 0] += 1
        }
        return out
    }
}
