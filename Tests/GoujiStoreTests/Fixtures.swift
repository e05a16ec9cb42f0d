import Foundation
import GoujiModel
import GoujiStore
import GoujiTestSupport


enum FixtureError: Error { case unreadable(String) }

/// A gold reading as a stored document: the gold JSON decoded with `DocumentJSON.decode`, its
/// `expected_findings` as the document's findings, and a doc_id derived from the file name.
struct GoldDocument {
    var name: String
    var document: BudgetDocument
    /// (rule, severity, expected, found) of each expected finding.
    var expected: [(rule: String, severity: String, expected: String, found: String)]
}

func loadGold() throws -> [GoldDocument] {
    let dir = SharedData.root.appendingPathComponent("gold")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
    return try files.map { file in
        let data = try Data(contentsOf: dir.appendingPathComponent(file))
        var doc = try DocumentJSON.decode(data)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError.unreadable(file)
        }
        let raw = object["expected_findings"] as? [[String: Any]] ?? []
        let expected = raw.map { f in
            (rule: f["rule"] as? String ?? "", severity: f["severity"] as? String ?? "",
             expected: f["expected"] as? String ?? "", found: f["found"] as? String ?? "")
        }
        doc.findings = raw.map { f in
            Finding(rule: f["rule"] as? String ?? "",
                    severity: Severity(rawValue: f["severity"] as? String ?? "") ?? .info,
                    message: (f["note"] as? String) ?? (f["where"] as? String) ?? "",
                    refs: [], expected: f["expected"] as? String ?? "", found: f["found"] as? String ?? "")
        }
        let stem = String(file.dropLast(5))
        let hex = stem.split(separator: "_").last.map(String.init) ?? stem
        doc.docID = "sha256:" + hex + String(repeating: "0", count: max(0, 64 - hex.count))
        doc.parserVersion = "gold"
        return GoldDocument(name: stem, document: doc, expected: expected)
    }
}

/// A fresh store in a new temporary directory.
func temporaryStore() throws -> (Store, String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gouji-store-test-\(UUID().uuidString)")
    let path = dir.appendingPathComponent("data/gouji.sqlite").path
    return (try Store(path: path), path)
}

func jsonObject(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}

func count(_ store: Store, _ sql: String) throws -> Int {
    let r = try store.execute(.sql(sql))
    return Int(r.sections[0].rows[0][0] ?? "") ?? -1
}
