import Foundation
import GoujiModel
import GoujiParse
import GoujiReconcile
import GoujiWire

/// Reconciliation benchmark (issue 4): for each seed, the time to parse it and the time to
/// reconcile the parsed document (median of repeated runs, each the CPU time of this thread:
/// `CPUTime`), and their ratio (goal: reconcile under a tenth of parse time).
///
/// Measured three ways, all printed: alternating (parse, reconcile, parse, … in one thread, as
/// `gouji check` runs them: each stage starts with the other's code and data in the caches); as
/// the separate services run them (each stage in a loop of its own with its service's untimed
/// work between: the parse service decodes each job and encodes the document, the reconcile
/// service decodes each document and encodes the findings); and hot (the same document
/// reconciled again and again, everything in the caches: the lower bound).
enum ReconcileBench {
    enum BenchError: Error, CustomStringConvertible {
        case noSeeds(String)
        var description: String {
            switch self {
            case .noSeeds(let dir): "no seeds in \(dir): set GOUJI_SHARED to the shared/ folder"
            }
        }
    }

    static func median(_ xs: [Duration]) -> Duration {
        let s = xs.sorted()
        return s[s.count / 2]
    }

    static func micros(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
    }

    static func run(arguments: [String]) throws {
        let shared = ProcessInfo.processInfo.environment["GOUJI_SHARED"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.currentDirectoryPath + "/../shared"
        let dir = shared + "/seeds"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        guard !names.isEmpty else { throw BenchError.noSeeds(dir) }
        let rounds = arguments.firstIndex(of: "--reconcile-rounds").flatMap { i in
            i + 1 < arguments.count ? Int(arguments[i + 1]) : nil
        } ?? 50
        if let i = arguments.firstIndex(of: "--reconcile-dump"), i + 1 < arguments.count {
            try dump(names: names, dir: dir, shared: shared, to: arguments[i + 1])
            return
        }
        let parser = BudgetParser()
        let reconciler = Reconciler()
        print("reconcile: \(names.count) seeds, median of \(rounds) runs each, thread CPU time; reconcile measured three ways (alternating | service | hot)")
        // Totals of the medians per way: (parse, reconcile).
        var totals = [(parse: Duration, reconcile: Duration)](repeating: (.zero, .zero), count: 3)
        for name in names {
            let text = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
            let source = Source(name: name, format: .text, bytes: text.utf8.count)
            var doc = parser.parse(text: text, source: source)
            var findings = 0
            var parses: [Duration] = []
            var recs: [Duration] = []
            // 1. Alternating in one thread, as `gouji check` runs them: each stage starts with the
            // other's code and data in the caches, and the document is the one just parsed.
            for _ in 0..<rounds {
                parses.append(CPUTime.measure { doc = parser.parse(text: text, source: source) })
                recs.append(CPUTime.measure { findings = reconciler.findings(for: doc).count })
            }
            let alternating = (parse: median(parses), reconcile: median(recs))
            parses.removeAll(keepingCapacity: true)
            recs.removeAll(keepingCapacity: true)
            // 2. As the services run them, each stage in its own process, with the same untimed
            // work around it that each service does per request: the parse service decodes the
            // job, parses, and encodes the document it sends back; the reconcile service decodes
            // the request's document, reconciles it (so the document it reads is freshly built),
            // and encodes the findings it sends back.
            let job = try JSONValue(encoding: ["name": name, "text": text])
            for _ in 0..<rounds {
                let assigned = try JSONValueDecoder().decode([String: String].self, from: job)
                let jobText = assigned["text"] ?? text
                parses.append(CPUTime.measure { doc = parser.parse(text: jobText, source: source) })
                _ = try JSONValue(encoding: doc)
            }
            let request = try JSONValue(encoding: doc)
            for _ in 0..<rounds {
                let decoded = try JSONValueDecoder().decode(BudgetDocument.self, from: request)
                var reply: [Finding] = []
                recs.append(CPUTime.measure { reply = reconciler.findings(for: decoded) })
                findings = reply.count
                _ = try JSONValue(encoding: reply)
            }
            let service = (parse: median(parses), reconcile: median(recs))
            recs.removeAll(keepingCapacity: true)
            parses.removeAll(keepingCapacity: true)
            // 3. Hot: one document parsed again and again, then reconciled again and again (its
            // data and each stage's code stay in the caches): the lower bound.
            for _ in 0..<rounds { parses.append(CPUTime.measure { doc = parser.parse(text: text, source: source) }) }
            for _ in 0..<rounds { recs.append(CPUTime.measure { findings = reconciler.findings(for: doc).count }) }
            let hot = (parse: median(parses), reconcile: median(recs))
            for (k, m) in [alternating, service, hot].enumerated() {
                totals[k].parse += m.parse
                totals[k].reconcile += m.reconcile
            }
            print(String(format: "  %@  parse %5.0f | %5.0f | %5.0f µs  reconcile %4.0f | %4.0f | %4.0f µs  ratio %.3f | %.3f | %.3f  (%d findings)",
                         name, micros(alternating.parse), micros(service.parse), micros(hot.parse),
                         micros(alternating.reconcile), micros(service.reconcile), micros(hot.reconcile),
                         micros(alternating.reconcile) / micros(alternating.parse), micros(service.reconcile) / micros(service.parse),
                         micros(hot.reconcile) / micros(hot.parse), findings))
        }
        let ways = ["alternating in one thread (gouji check)", "as the services run them (each stage in its own loop, with its service's decoding and encoding between)",
                    "hot (one document parsed again and again, then reconciled again and again)"]
        for (k, how) in ways.enumerated() {
            print(String(format: "  all seeds, %@: parse %.0f µs, reconcile %.0f µs per document on average; reconcile/parse = %.3f (goal < 0.1)",
                         how, micros(totals[k].parse) / Double(names.count), micros(totals[k].reconcile) / Double(names.count),
                         micros(totals[k].reconcile) / micros(totals[k].parse)))
        }
    }

    /// `--reconcile-dump FILE`: the findings (both languages) of every seed, parsed and gold, and of
    /// mutants of each (every table cell moved by several deltas or removed, every fact value and
    /// change moved), one block per document, for a byte-for-byte comparison of two builds of the
    /// reconciler. Not timed.
    static func dump(names: [String], dir: String, shared: String, to path: String) throws {
        let parser = BudgetParser()
        let zh = Reconciler(language: .zh), en = Reconciler(language: .en)
        var out = ""
        func emit(_ label: String, _ doc: BudgetDocument, english: Bool) {
            out += "== \(label)\n"
            for f in zh.findings(for: doc) { out += "\(f)\n" }
            if english { for f in en.findings(for: doc) { out += "\(f)\n" } }
        }
        let deltas = ["0.10", "1.00", "-1.00", "10.00", "-0.01"].compactMap { Amount($0) }
        var docs: [(String, BudgetDocument)] = []
        for name in names {
            let text = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
            docs.append(("parsed " + name, parser.parse(text: text, source: Source(name: name, format: .text, bytes: text.utf8.count))))
            let goldPath = shared + "/gold/" + name.dropLast(4) + ".json"
            if let data = FileManager.default.contents(atPath: goldPath), let gold = try? DocumentJSON.decode(data) {
                docs.append(("gold " + name, gold))
            }
        }
        for (label, doc) in docs {
            emit(label, doc, english: true)
            var n = 0
            for ti in doc.tables.indices {
                var m = doc
                m.tables[ti].empty.toggle()
                emit("\(label) table \(ti) empty toggled", m, english: false)
                for ri in doc.tables[ti].rows.indices {
                    for col in doc.tables[ti].rows[ri].values.keys.sorted() {
                        guard let v = doc.tables[ti].rows[ri].values[col] else { continue }
                        for d in deltas {
                            guard let w = v.adding(d) else { continue }
                            var m = doc
                            m.tables[ti].rows[ri].values[col] = w.rescaled(to: max(w.decimals, v.decimals)) ?? w
                            n += 1
                            emit("\(label) \(ti) \(ri) \(col) \(d.text)", m, english: n % 5 == 0)
                        }
                        var m = doc
                        m.tables[ti].rows[ri].values[col] = nil
                        emit("\(label) \(ti) \(ri) \(col) removed", m, english: false)
                    }
                }
            }
            for fi in doc.facts.indices {
                for d in deltas {
                    var m = doc
                    if let w = doc.facts[fi].value.adding(d) { m.facts[fi].value = w }
                    if let c = doc.facts[fi].change, let w = c.adding(d) { m.facts[fi].change = w }
                    emit("\(label) fact \(fi) \(d.text)", m, english: d.mantissa == 100)
                }
            }
        }
        try out.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
