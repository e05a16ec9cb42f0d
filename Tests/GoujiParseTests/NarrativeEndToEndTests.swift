import Foundation
import Testing
import GoujiModel
@testable import GoujiParse

/// The metadata, project and narrative readers inside the real parser, over the five seeds.
@Suite struct NarrativeEndToEndTests {
    @Test func parserKeepsTheReadersThresholds() throws {
        let seeds = try NarrSeeds.load()
        let docs = seeds.map { seed in
            (seed.name, BudgetParser().parse(text: seed.text, source: Source(name: seed.name + ".txt", format: .text)))
        }
        let s = try NarrSeeds.score(docs)
        print("narr end-to-end: projects \(s["projects"] ?? -1) indicators \(s["indicators"] ?? -1) meta \(s["meta"] ?? -1) facts \(s["facts"] ?? -1)")
        #expect(s["projects"] as? Double ?? 0 >= 0.98)
        #expect(s["indicators"] as? Double ?? 0 >= 0.95)
        #expect(s["meta"] as? Double ?? 0 >= 0.98)
        #expect(s["facts"] as? Double ?? 0 >= 0.90)
    }

    /// With the document's projects and tables at hand (as BudgetParser can pass them), a
    /// "…项目情况说明" heading takes its project's name and function items take the tables' codes.
    @Test func narrativeWithProjectsAndTables() throws {
        let seeds = try NarrSeeds.load()
        let docs = seeds.map { seed -> (String, BudgetDocument) in
            let src = SourceText(seed.text)
            var doc = BudgetParser().parse(text: seed.text, source: Source(name: seed.name + ".txt", format: .text))
            let reading = TableReader.read(src)
            doc.facts = NarrativeReader.facts(in: reading.prose, projects: doc.projects, tables: doc.tables)
            return (seed.name, doc)
        }
        let s = try NarrSeeds.score(docs)
        print("narr end-to-end with projects+tables: facts \(s["facts"] ?? -1)")
        #expect(s["facts"] as? Double ?? 0 >= 0.95)
    }
}
