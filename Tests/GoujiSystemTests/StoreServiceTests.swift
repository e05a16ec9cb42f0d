import Foundation
import Testing

/// gouji-store's group commit, over its real socket: puts sent together are committed together,
/// and every request still gets its own answer.
@Suite(.serialized) struct StoreServiceTests {
    @Test func pipelinedPutsAreEachAnsweredAndAFailingOneDoesNotSinkTheBatch() throws {
        let daemon = try Daemon(workers: 1)
        defer { daemon.stop() }
        try daemon.waitReady()
        func doc(_ name: String, year: Int) -> [String: Any] {
            ["schema": "budget-doc/1", "source": ["name": name, "format": "text"], "fiscal_year": year,
             "kind": "budget", "unit": ["name": "测试单位", "code": "900001"]]
        }
        let a = "sha256:" + String(repeating: "a", count: 64)
        let b = "sha256:" + String(repeating: "b", count: 64)
        let requests: [(type: String, body: [String: Any])] = [
            ("store.put", ["doc_id": a, "document": doc("a.txt", year: 2024)]),
            ("store.put", ["doc_id": b, "document": doc("b.txt", year: 2025)]),
            // No usable id: refused by the store, inside the batch.
            ("store.put", ["doc_id": "", "document": doc("c.txt", year: 2024)]),
            // Not a put body at all: refused before the batch.
            ("store.put", ["document": "not a document"]),
            ("store.put", ["doc_id": a, "document": doc("a.txt", year: 2024)]),
        ]
        var acks: [(String, String)] = []
        var errors: [String] = []
        try SocketClient.pipeline(daemon.store, requests) { _, type, body in
            if type == "store.ack" {
                acks.append((body["doc_id"] as? String ?? "", body["outcome"] as? String ?? ""))
            } else {
                errors.append(body["code"] as? String ?? type)
            }
        }
        #expect(acks.map(\.0) == [a, b, a])
        #expect(acks.map(\.1) == ["inserted", "inserted", "unchanged"])
        #expect(errors.sorted() == ["bad_request", "store_failed"])
        #expect(try daemon.inventory() == [a: 1, b: 1])
    }
}
