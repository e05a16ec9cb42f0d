import Foundation
import GoujiModel
import GoujiParse
import GoujiTestSupport
import Testing

/// The seeds and the scorer in `shared/` (located by `SharedData`).
enum SharedFiles {
    static var root: URL { SharedData.root }
    static var seeds: [URL] {
        let dir = root.appendingPathComponent("seeds")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted().map { dir.appendingPathComponent($0) }
    }

    /// Every line of every seed, as printed and trimmed (the fast readings' tests read them all).
    static func seedLines() throws -> [String] {
        var lines: [String] = []
        for f in try SharedData.seedFiles() {
            let text = try String(contentsOf: f, encoding: .utf8)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(String(line))
                lines.append(SourceText.trim(line))
            }
        }
        return lines
    }

    static func parse(_ url: URL) throws -> BudgetDocument {
        let data = try Data(contentsOf: url)
        let text = String(decoding: data, as: UTF8.self)
        return BudgetParser().parse(text: text, source: Source(name: url.lastPathComponent, format: .text, bytes: data.count))
    }

    /// Runs score.py over a folder of exports and returns its JSON summary.
    static func score(pred: URL, gold: URL? = nil) throws -> [String: Double] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", root.appendingPathComponent("tools/score.py").path,
                       "--gold", (gold ?? root.appendingPathComponent("gold")).path, "--pred", pred.path, "--json"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let obj = try JSONSerialization.jsonObject(with: out) as? [String: Any]
        let summary = obj?["summary"] as? [String: Any] ?? [:]
        var result: [String: Double] = [:]
        for (k, v) in summary { if let d = (v as? NSNumber)?.doubleValue { result[k] = d } }
        return result
    }

    static func tempDir(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gouji-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

@Suite struct SeedScoreTests {
    @Test func seedsScoreAgainstGold() throws {
        let seeds = SharedFiles.seeds
        #expect(seeds.count == 5)
        let dir = try SharedFiles.tempDir("seeds")
        defer { try? FileManager.default.removeItem(at: dir) }
        for url in seeds {
            let doc = try SharedFiles.parse(url)
            let name = url.deletingPathExtension().lastPathComponent + ".json"
            let data = try DocumentJSON.encode(doc, pretty: true)
            try data.write(to: dir.appendingPathComponent(name))
            if let keep = ProcessInfo.processInfo.environment["GOUJI_PARSE_OUT"], !keep.isEmpty {
                try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
                try data.write(to: URL(fileURLWithPath: keep).appendingPathComponent(name))
            }
        }
        let s = try SharedFiles.score(pred: dir)
        #expect((s["cells"] ?? 0) >= 0.99, "cells F1 \(s["cells"] ?? 0)")
        #expect((s["tables"] ?? 0) >= 0.99, "tables F1 \(s["tables"] ?? 0)")
        #expect((s["projects"] ?? 0) >= 0.98, "projects F1 \(s["projects"] ?? 0)")
        #expect((s["indicators"] ?? 0) >= 0.95, "indicators F1 \(s["indicators"] ?? 0)")
        #expect((s["meta"] ?? 0) >= 0.98, "meta \(s["meta"] ?? 0)")
        #expect((s["facts"] ?? 0) >= 0.90, "facts F1 \(s["facts"] ?? 0)")
    }

    /// The seeds as other tools print the same text: spaces made no-break, digits and their
    /// marks full-width, lines indented with spaces or ideographic spaces, CRLF line ends and
    /// trailing spaces. Every reading scores as the seeds do.
    @Test(arguments: ["nbsp", "fullwidth", "indent", "wideindent", "crlf"])
    func seedsPrintedOtherwiseScoreAlike(_ variant: String) throws {
        func transform(_ text: String) -> String {
            switch variant {
            case "nbsp": return text.replacingOccurrences(of: " ", with: "\u{00A0}")
            case "fullwidth":
                return String(String.UnicodeScalarView(text.unicodeScalars.map { u in
                    ("0"..."9").contains(u) || u == "." || u == "," || u == "%" ? Unicode.Scalar(u.value + 0xFEE0) ?? u : u
                }))
            case "indent", "wideindent":
                let pad = variant == "indent" ? "  " : "\u{3000}\u{3000}"
                return text.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.allSatisfy(\.isWhitespace) ? String($0) : pad + $0 }.joined(separator: "\n")
            default: return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "  " }.joined(separator: "\r\n")
            }
        }
        let dir = try SharedFiles.tempDir("seeds-\(variant)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for url in SharedFiles.seeds {
            let text = transform(String(decoding: try Data(contentsOf: url), as: UTF8.self))
            let doc = BudgetParser().parse(text: text, source: Source(name: url.lastPathComponent, format: .text))
            try DocumentJSON.encode(doc).write(to: dir.appendingPathComponent(url.deletingPathExtension().lastPathComponent + ".json"))
        }
        let s = try SharedFiles.score(pred: dir)
        for (key, floor) in [("cells", 0.99), ("tables", 0.99), ("projects", 0.98), ("indicators", 0.95), ("meta", 0.98), ("facts", 0.90)] {
            #expect((s[key] ?? 0) >= floor, "\(variant): \(key) \(s[key] ?? 0)")
        }
    }
}
