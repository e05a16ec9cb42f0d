import Foundation
import Testing
import GoujiModel
@testable import GoujiParse
import GoujiTestSupport

/// Drives the metadata, project and narrative readers over the five seeds, exports documents that
/// carry only their fields, and scores them with `shared/tools/score.py --json` (the same measures
/// the product is judged by). Tables/cells score 0 here: the table reader is tested elsewhere.
enum NarrSeeds {

    struct Seed {
        let name: String
        let text: String
        let gold: BudgetDocument
    }

    static func load() throws -> [Seed] {
        let shared = SharedData.root
        let seeds = shared.appendingPathComponent("seeds")
        let files = try FileManager.default.contentsOfDirectory(atPath: seeds.path).filter { $0.hasSuffix(".txt") }.sorted()
        return try files.map { f in
            let stem = String(f.dropLast(4))
            let text = try String(contentsOf: seeds.appendingPathComponent(f), encoding: .utf8)
            let goldData = try Data(contentsOf: shared.appendingPathComponent("gold/\(stem).json"))
            return Seed(name: stem, text: text, gold: try DocumentJSON.decode(goldData))
        }
    }

    /// The readers' document: metadata on the whole text; projects from each performance table's
    /// lines (title line to the next table's title, located by the gold's table lines) or, where there
    /// is none, from the project list table; facts from all lines.
    static func read(_ seed: Seed) -> BudgetDocument {
        let src = SourceText(seed.text)
        var doc = BudgetDocument(source: Source(name: seed.name + ".txt", format: .text))
        MetadataReader.read(src, into: &doc)
        let starts = seed.gold.tables.map(\.line).sorted()
        for t in seed.gold.tables where t.kind == .performance {
            let next = starts.first { $0 > t.line } ?? (src.lines.count + 1)
            let slice = src.lines[(t.line - 1)..<(next - 1)]
            if let p = ProjectReader.project(fromPerformance: slice) { doc.projects.append(p) }
        }
        if doc.projects.isEmpty, let list = seed.gold.tables.first(where: { $0.kind == .projectList }) {
            doc.projects = ProjectReader.projects(fromList: list)
        }
        doc.facts = NarrativeReader.facts(in: src.lines, projects: doc.projects)
        return doc
    }

    /// Writes the documents into a fresh directory and returns score.py's JSON summary.
    static func score(_ docs: [(String, BudgetDocument)]) throws -> [String: Any] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("narr-score-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, doc) in docs {
            try DocumentJSON.encode(doc, pretty: true).write(to: dir.appendingPathComponent(name + ".json"))
        }
        if let keep = ProcessInfo.processInfo.environment["NARR_KEEP_PRED"], !keep.isEmpty {
            let out = URL(fileURLWithPath: keep)
            try? FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            for (name, doc) in docs {
                try DocumentJSON.encode(doc, pretty: true).write(to: out.appendingPathComponent(name + ".json"))
            }
        }
        let shared = SharedData.root
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", shared.appendingPathComponent("tools/score.py").path,
                       "--gold", shared.appendingPathComponent("gold").path, "--pred", dir.path, "--json"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return obj?["summary"] as? [String: Any] ?? [:]
    }
}

@Suite struct NarrativeSeedScoreTests {
    @Test func seedsScoreAboveThresholds() throws {
        let seeds = try NarrSeeds.load()
        #expect(seeds.count == 5)
        let docs = seeds.map { ($0.name, NarrSeeds.read($0)) }
        let summary = try NarrSeeds.score(docs)
        let projects = summary["projects"] as? Double ?? -1
        let indicators = summary["indicators"] as? Double ?? -1
        let meta = summary["meta"] as? Double ?? -1
        let facts = summary["facts"] as? Double ?? -1
        print("narr seed score: projects \(projects) indicators \(indicators) meta \(meta) facts \(facts)")
        #expect(projects >= 0.98)
        #expect(indicators >= 0.95)
        #expect(meta >= 0.98)
        #expect(facts >= 0.90)
    }
}
