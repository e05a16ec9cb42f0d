import Foundation
import Testing

/// `gouji check` as a user runs it: the real executable, real files, exit status and output.
@Suite struct CheckCommandTests {
    static func gouji(_ arguments: [String]) throws -> CLIRun { try GoujiCLI.run(arguments) }

    static func gold(_ seed: String) throws -> [String: Any] {
        let name = URL(fileURLWithPath: seed).deletingPathExtension().lastPathComponent
        let data = try Data(contentsOf: URL(fileURLWithPath: Repo.shared + "/gold/\(name).json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    @Test func jsonLinesCarryFindingsAndTheExitStatusSaysWhetherAnyIsAnError() throws {
        let seeds = try Repo.seeds()
        #expect(seeds.count == 5)
        let run = try Self.gouji(["check", "--json"] + seeds)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == seeds.count)
        var anyGoldError = false
        for (line, seed) in zip(lines, seeds) {
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(doc["schema"] as? String == "budget-doc/1")
            #expect((doc["doc_id"] as? String)?.hasPrefix("sha256:") == true)
            let findings = try #require(doc["findings"] as? [[String: Any]])
            let gold = try Self.gold(seed)
            let expected = gold["expected_findings"] as? [[String: Any]] ?? []
            let goldErrors = Set(expected.filter { $0["severity"] as? String == "error" }.compactMap { $0["rule"] as? String })
            let errors = Set(findings.filter { $0["severity"] as? String == "error" }.compactMap { $0["rule"] as? String })
            #expect(errors == goldErrors, "error rules of \(seed)")
            if !goldErrors.isEmpty { anyGoldError = true }
        }
        #expect(anyGoldError)
        #expect(run.status == 1)
    }

    @Test func aCleanDocumentExitsZeroWithAHumanReport() throws {
        // The seed whose gold has no error finding.
        let seeds = try Repo.seeds()
        let clean = try #require(try seeds.first { seed in
            let expected = try Self.gold(seed)["expected_findings"] as? [[String: Any]] ?? []
            return !expected.contains { $0["severity"] as? String == "error" }
        })
        let run = try Self.gouji(["check", clean])
        #expect(run.status == 0)
        #expect(run.stdout.contains("错误 0"))
        let en = try Self.gouji(["check", "--lang", "en", clean])
        #expect(en.status == 0)
        #expect(en.stdout.lowercased().contains("warning"))
    }

    @Test func unreadableInputsExitTwoAndTheOthersAreStillChecked() throws {
        let dir = NSTemporaryDirectory() + "gouji-check-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SystemRandomNumberGenerator()
        let binary = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) } + [0, 0, 0])
        try binary.write(to: URL(fileURLWithPath: dir + "/binary.txt"))
        let seed = try #require(try Repo.seeds().first)
        let run = try Self.gouji(["check", "--json", dir + "/binary.txt", dir + "/missing.txt", seed])
        #expect(run.status == 2)
        #expect(run.stdout.split(separator: "\n").count == 1)
        #expect(run.stderr.contains("binary.txt"))
        #expect(run.stderr.contains("missing.txt"))
    }

    @Test func gbkTextReadsLikeItsUTF8Original() throws {
        let seed = try #require(try Repo.seeds().first)
        let dir = NSTemporaryDirectory() + "gouji-gbk-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let iconv = Process()
        iconv.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        iconv.arguments = ["-f", "UTF-8", "-t", "GB18030", seed, "-o", dir + "/gbk.txt"]
        try iconv.run()
        iconv.waitUntilExit()
        #expect(iconv.terminationStatus == 0)
        let utf8 = try Self.gouji(["check", "--json", seed])
        let gbk = try Self.gouji(["check", "--json", dir + "/gbk.txt"])
        let a = try #require(try JSONSerialization.jsonObject(with: Data(utf8.stdout.utf8)) as? [String: Any])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(gbk.stdout.utf8)) as? [String: Any])
        #expect(gbk.status == utf8.status)
        // Same tables and findings; only the source bytes (and so doc_id and size) differ.
        let ta = try JSONSerialization.data(withJSONObject: a["tables"] ?? [], options: .sortedKeys)
        let tb = try JSONSerialization.data(withJSONObject: b["tables"] ?? [], options: .sortedKeys)
        #expect(ta == tb)
        #expect((a["findings"] as? [Any])?.count == (b["findings"] as? [Any])?.count)
        #expect(a["doc_id"] as? String != b["doc_id"] as? String)
    }
}
