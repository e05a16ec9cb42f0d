import Foundation
import Testing

/// The query commands as a user runs them: goujid up, the seeds ingested through the pipeline,
/// then `gouji sum`, `findings`, `sql`, `show`, `export` against the running store service.
@Suite(.serialized) struct QueryCommandTests {
    @Test func seedsAnswerTheQuestionsUsersAsk() throws {
        let daemon = try Daemon(workers: 2)
        defer { daemon.stop() }
        try daemon.waitReady()
        let seeds = try Repo.seeds()
        let ids = try seeds.map { try daemon.submit(path: $0) }
        let states = try daemon.waitDone(ids, seconds: 300)
        #expect(states.values.allSatisfy { $0 == "stored" }, "\(states)")

        // sum --code across units, exact decimal.
        let sum = try GoujiCLI.run(["sum", "--code", "2080109", "--format", "json"], home: daemon.home)
        #expect(sum.status == 0, "\(sum.stderr)")
        let sumObj = try #require(try JSONSerialization.jsonObject(with: Data(sum.stdout.utf8)) as? [String: Any])
        #expect(sumObj["total"] as? String == "3216.35")
        #expect(sumObj["code"] as? String == "2080109")

        // findings --severity error: exactly the gold's error findings (rule, expected, found multiset).
        let found = try GoujiCLI.run(["findings", "--severity", "error", "--format", "json"], home: daemon.home)
        #expect(found.status == 0, "\(found.stderr)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [[String: Any]])
        var gold: [String] = []
        for seed in seeds {
            let name = URL(fileURLWithPath: seed).deletingPathExtension().lastPathComponent
            let g = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Repo.shared + "/gold/\(name).json"))) as? [String: Any]
            for f in g?["expected_findings"] as? [[String: Any]] ?? [] where f["severity"] as? String == "error" {
                gold.append(f["rule"] as? String ?? "")
            }
        }
        let got = list.map { $0["rule"] as? String ?? "" }
        #expect(got.sorted() == gold.sorted())
        #expect(list.allSatisfy { $0["severity"] as? String == "error" })

        // sql is read-only: a write fails with a non-zero exit and changes nothing.
        let before = try GoujiCLI.run(["sql", "--format", "csv", "SELECT COUNT(*) FROM documents"], home: daemon.home)
        #expect(before.status == 0)
        #expect(before.stdout.contains("5"))
        let delete = try GoujiCLI.run(["sql", "DELETE FROM documents"], home: daemon.home)
        #expect(delete.status != 0)
        #expect(!delete.stderr.isEmpty)
        let after = try GoujiCLI.run(["sql", "--format", "csv", "SELECT COUNT(*) FROM documents"], home: daemon.home)
        #expect(after.stdout == before.stdout)

        // show renders a table like the original; export gives the document back.
        let show = try GoujiCLI.run(["show", String(ids[0].dropFirst("sha256:".count).prefix(12)), "--table", "expenditure"], home: daemon.home)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("2080109") || show.stdout.contains("合计"))
        let export = try GoujiCLI.run(["export", ids[0], "--format", "json"], home: daemon.home)
        #expect(export.status == 0)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        #expect(doc["doc_id"] as? String == ids[0])
        #expect(doc["schema"] as? String == "budget-doc/1")
    }
}
