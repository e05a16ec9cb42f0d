import ArgumentParser
import Foundation
import GoujiModel
import GoujiStore

// Temporary entry point registering the query commands (the runtime owns the real one).

struct StorePut: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-put", abstract: "Development: put budget-doc/1 JSON files into the home's store.",
        shouldDisplay: false)
    @Argument(help: "JSON files.") var files: [String]
    func run() throws {
        let store = try Store(path: queryCommandsHome() + "/data/gouji.sqlite")
        for file in files {
            var doc = try DocumentJSON.decode(Data(contentsOf: URL(fileURLWithPath: file)))
            if doc.docID == nil {
                let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
                doc.docID = "file:" + stem
            }
            let outcome = try store.put(doc)
            print("\(outcome.rawValue)\t\(doc.docID ?? "")\t\(file)")
        }
    }
}

struct Gouji: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gouji", abstract: "Query stored budget disclosures.",
        subcommands: [Ls.self, Show.self, Findings.self, Sum.self, Top.self, Compare.self, Sql.self, Export.self, StorePut.self])
}

Gouji.main()
