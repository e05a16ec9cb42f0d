import Foundation
import GoujiModel
import GoujiStore

/// Store benchmark (issue 5): a synthetic store of ≥ 20,000 documents generated from the gold
/// readings with consistent variations, then the latency of the queries users run.
///
/// Variations: each seed yields units `<name>（合成N）` with their own code, over four consecutive
/// fiscal years. Year j of a unit multiplies every amount of the seed by the integer k = 2 + j, so every
/// sum, tree and cross-table relation still holds exactly (percentages and shares are ratios and stay
/// as printed). Each stated change is set to value − last year's value (= the seed's value), so
/// Y-CHANGE agrees across the synthetic years. Findings are the gold's expected findings, amounts scaled.
enum StoreBench {
    struct Options {
        var documents = 20_000
        var directory: String?
        var keep = false
        /// Measure the queries on an existing store directory (no generation, no ingest).
        var reuse: String?
        var showSamples = 2_000
        var scanSamples = 30
    }

    static func options(_ args: [String]) -> Options {
        var o = Options()
        func value(_ flag: String) -> String? {
            guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return nil }
            return args[i + 1]
        }
        if let n = value("--store-docs").flatMap(Int.init) { o.documents = n }
        if let d = value("--store-dir") { o.directory = d }
        if args.contains("--store-keep") { o.keep = true }
        if let d = value("--store-reuse") { o.reuse = d }
        if let n = value("--store-samples").flatMap(Int.init) { o.showSamples = n }
        return o
    }

    static func sharedDirectory() -> String {
        if let env = ProcessInfo.processInfo.environment["GOUJI_SHARED"], !env.isEmpty { return env }
        return FileManager.default.currentDirectoryPath + "/../shared"
    }

    enum BenchError: Error, CustomStringConvertible {
        case noSeeds(String)
        var description: String {
            switch self {
            case .noSeeds(let dir): "no gold JSON files in \(dir)/gold: set GOUJI_SHARED to the shared folder"
            }
        }
    }

    /// The gold readings as documents, their expected findings as findings.
    static func loadSeeds(shared: String) throws -> [BudgetDocument] {
        let dir = shared + "/gold"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        guard !files.isEmpty else { throw BenchError.noSeeds(shared) }
        return try files.map { file in
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
            var doc = try DocumentJSON.decode(data)
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let expected = object?["expected_findings"] as? [[String: Any]] ?? []
            doc.findings = expected.map { f in
                Finding(rule: f["rule"] as? String ?? "", severity: Severity(rawValue: f["severity"] as? String ?? "") ?? .info,
                        message: f["note"] as? String ?? f["where"] as? String ?? "", refs: [],
                        expected: f["expected"] as? String ?? "", found: f["found"] as? String ?? "")
            }
            return doc
        }
    }

    static func scaled(_ a: Amount, by k: Int64) -> Amount {
        Amount(mantissa: a.mantissa.multipliedReportingOverflow(by: k).partialValue, decimals: a.decimals)
    }

    static func scaledText(_ s: String, by k: Int64) -> String {
        Amount(s).map { scaled($0, by: k).text } ?? s
    }

    static func hexID(_ i: Int) -> String {
        var x = UInt64(i) &+ 0x9E37_79B9_7F4A_7C15
        var out = ""
        for _ in 0..<4 {
            x = x &+ 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let h = String(z, radix: 16)
            out += String(repeating: "0", count: 16 - h.count) + h
        }
        return "sha256:" + out
    }

    /// Document `i` of the synthetic store.
    static func synthetic(_ i: Int, seeds: [BudgetDocument], years: Int = 4) -> BudgetDocument {
        let seedIndex = i % seeds.count
        let group = i / seeds.count
        let unitIndex = group / years
        let j = group % years
        let k = Int64(2 + j)
        var d = seeds[seedIndex]
        d.docID = hexID(i)
        d.source = Source(name: "synthetic-\(i).txt", format: .text, bytes: d.source.bytes)
        d.parserVersion = "bench"
        d.fiscalYear = (d.fiscalYear ?? 2024) - (years - 1) + j
        d.unit = UnitRef(name: (d.unit?.name ?? "单位") + "（合成\(unitIndex)）",
                         code: d.unit?.code.map { $0 + String(unitIndex) })
        for t in d.tables.indices {
            for r in d.tables[t].rows.indices {
                for (key, v) in d.tables[t].rows[r].values { d.tables[t].rows[r].values[key] = scaled(v, by: k) }
            }
        }
        for p in d.projects.indices {
            d.projects[p].total = d.projects[p].total.map { scaled($0, by: k) }
            d.projects[p].fiscal = d.projects[p].fiscal.map { scaled($0, by: k) }
        }
        for f in d.facts.indices {
            let seedValue = d.facts[f].value
            d.facts[f].value = scaled(seedValue, by: k)
            if d.facts[f].change != nil, j > 0 {
                // This year (k·v) minus last year ((k−1)·v): the change is the seed's value.
                d.facts[f].change = seedValue
                d.facts[f].pct = Amount(mantissa: Int64((10_000.0 / Double(k - 1)).rounded()), decimals: 2)
            } else if let c = d.facts[f].change {
                d.facts[f].change = scaled(c, by: k)
            }
        }
        d.findings = d.findings?.map { f in
            var g = f
            g.expected = scaledText(f.expected, by: k)
            g.found = scaledText(f.found, by: k)
            return g
        }
        return d
    }

    struct Latency {
        var name: String
        var samples: [Double]   // milliseconds, wall clock
        /// Process CPU milliseconds per sample: the cost without waiting for a core (the machine is shared).
        var cpu: [Double] = []
        var cpuP50: Double { Latency(name: name, samples: cpu).p50 }
        var cpuP99: Double { Latency(name: name, samples: cpu).p99 }
        var p50: Double { percentile(0.50) }
        var p99: Double { percentile(0.99) }
        var max: Double { samples.max() ?? 0 }
        func percentile(_ q: Double) -> Double {
            let s = samples.sorted()
            guard !s.isEmpty else { return 0 }
            let i = Swift.min(s.count - 1, Swift.max(0, Int((Double(s.count) * q).rounded(.up)) - 1))
            return s[i]
        }
    }

    static func cpuMilliseconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
    }

    static func milliseconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15
    }

    static func measure(_ name: String, _ n: Int, _ body: (Int) throws -> Void) rethrows -> Latency {
        let clock = ContinuousClock()
        var samples: [Double] = []
        var cpu: [Double] = []
        samples.reserveCapacity(n)
        for i in 0..<n {
            let c0 = cpuMilliseconds()
            let t = clock.now
            try body(i)
            samples.append(milliseconds(clock.now - t))
            cpu.append(cpuMilliseconds() - c0)
        }
        return Latency(name: name, samples: samples, cpu: cpu)
    }

    static func line(_ s: String) {
        FileHandle.standardOutput.write(Data((s + "\n").utf8))
    }

    static func measureQueries(_ reader: Store, ids: [String], units: [String], options o: Options) throws {
        // Warm the page cache the way a running service would be.
        _ = try reader.execute(.sum(code: "2080109", column: nil, year: nil))
        _ = try reader.execute(.findings(severity: .error, rule: nil, unit: nil))
        var results: [Latency] = []
        var rng = SplitMix(seed: 42)
        results.append(try measure("show DOC --table expenditure", o.showSamples) { _ in
            _ = try reader.execute(.show(doc: ids[Int(rng.next() % UInt64(ids.count))], table: .expenditure))
        })
        results.append(try measure("show DOC (all tables)", o.showSamples) { _ in
            _ = try reader.execute(.show(doc: ids[Int(rng.next() % UInt64(ids.count))], table: nil))
        })
        results.append(try measure("findings --unit NAME (one unit)", o.showSamples / 2) { _ in
            let unit = units.isEmpty ? ids[Int(rng.next() % UInt64(ids.count))] : units[Int(rng.next() % UInt64(units.count))]
            _ = try reader.execute(.findings(severity: nil, rule: nil, unit: unit))
        })
        var sumAnswer = ""
        results.append(try measure("sum --code 2080109 (all documents)", o.scanSamples) { _ in
            sumAnswer = try reader.execute(.sum(code: "2080109", column: nil, year: nil)).json
        })
        // Read the answer after timing (Foundation's JSON parser would cost more than the query).
        let sumObject = try JSONSerialization.jsonObject(with: Data(sumAnswer.utf8)) as? [String: Any]
        let sumTotal = sumObject?["total"] as? String ?? ""
        let sumDocs = sumObject?["documents"] as? Int ?? 0
        var errors = 0
        results.append(try measure("findings --severity error", o.scanSamples) { _ in
            let r = try reader.execute(.findings(severity: .error, rule: nil, unit: nil))
            errors = r.sections.first?.rows.count ?? 0
        })
        results.append(try measure("findings --summary", o.scanSamples) { _ in
            _ = try reader.execute(.summary)
        })
        if ProcessInfo.processInfo.environment["GOUJI_BENCH_SAMPLES"] != nil {
            for r in results { line("\(r.name): cpu " + r.cpu.map { String(format: "%.1f", $0) }.joined(separator: " ")) }
        }
        for r in results {
            line(String(format: "%-36@ n=%5d  wall p50 %8.3f ms  p99 %8.3f ms  max %8.3f ms | cpu p50 %8.3f ms  p99 %8.3f ms",
                        r.name as NSString, r.samples.count, r.p50, r.p99, r.max, r.cpuP50, r.cpuP99))
        }
        line("sum --code 2080109 = \(sumTotal) over \(sumDocs) documents; findings --severity error returns \(errors) rows")
    }

    static func run(arguments: [String]) throws {
        let o = options(arguments)
        if let reuse = o.reuse {
            // Opening it once for writing brings an older store's schema up to date.
            let clock = ContinuousClock()
            let t = clock.now
            _ = try Store(path: reuse + "/gouji.sqlite")
            line(String(format: "opened (and migrated if needed) in %.1f s", milliseconds(clock.now - t) / 1000))
            let reader = try Store.openReadOnly(path: reuse + "/gouji.sqlite")
            let n = try reader.documentCount()
            line("store bench on an existing store: \(n) documents in \(reuse)")
            let ids = try reader.execute(.sql("SELECT doc_id FROM documents")).sections[0].rows.compactMap { $0[0] }
                .map { String($0.dropFirst(7).prefix(12)) }
            try measureQueries(reader, ids: ids, units: [], options: o)
            return
        }
        let seeds = try loadSeeds(shared: sharedDirectory())
        let dir = o.directory ?? (FileManager.default.temporaryDirectory.path + "/gouji-store-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(atPath: dir)
        let path = dir + "/gouji.sqlite"
        defer { if !o.keep { try? FileManager.default.removeItem(atPath: dir) } }

        line("store bench: \(o.documents) synthetic documents from \(seeds.count) seeds → \(path)")
        let docs = (0..<o.documents).map { synthetic($0, seeds: seeds) }
        let cells = docs.reduce(0) { $0 + $1.tables.reduce(0) { $0 + $1.rows.reduce(0) { $0 + $1.values.count } } }

        let clock = ContinuousClock()
        if arguments.contains("--store-profile") {
            let n = min(500, docs.count)
            var t = clock.now
            for d in docs.prefix(n) { _ = try DocumentJSON.encode(d) }
            let canonical = milliseconds(clock.now - t) / Double(n)
            t = clock.now
            let foundation = DocumentJSON.encoder()
            for d in docs.prefix(n) { _ = try foundation.encode(d) }
            let reference = milliseconds(clock.now - t) / Double(n)
            line(String(format: "profile: DocumentJSON.encode %.3f ms/doc (Foundation's JSONEncoder, same bytes: %.3f ms/doc, ratio %.2f)",
                        canonical, reference, canonical / reference))
            t = clock.now
            var labels = 0
            for d in docs.prefix(n) { for tb in d.tables { for r in tb.rows { labels += Label.normalized(r.label).count } } }
            line(String(format: "profile: Label.normalized of every row label %.3f ms/doc", milliseconds(clock.now - t) / Double(n)))
        }
        let store = try Store(path: path)
        // The first documents one put (one transaction) each, as the store service stores a parse;
        // the rest in batches of 100 (putAll, one transaction per batch), as a bulk ingest does.
        let single = min(1_000, docs.count)
        var t = clock.now
        let putLatency = try measure("put", single) { i in try store.put(docs[i]) }
        let singleSeconds = milliseconds(clock.now - t) / 1000
        line(String(format: "ingest, one put per document: %d documents in %.1f s = %.0f documents/s (put wall p50 %.2f ms, p99 %.2f ms | cpu p50 %.2f ms, p99 %.2f ms)",
                    single, singleSeconds, Double(single) / singleSeconds, putLatency.p50, putLatency.p99,
                    putLatency.cpuP50, putLatency.cpuP99))
        t = clock.now
        var index = single
        while index < docs.count {
            let batch = Array(docs[index..<min(index + 100, docs.count)])
            try store.putAll(batch)
            index += batch.count
        }
        let batchSeconds = milliseconds(clock.now - t) / 1000
        if docs.count > single {
            line(String(format: "ingest, putAll batches of 100: %d documents in %.1f s = %.0f documents/s",
                        docs.count - single, batchSeconds, Double(docs.count - single) / batchSeconds))
        }
        line(String(format: "ingest total: %d documents, %d cells in %.1f s", docs.count, cells, singleSeconds + batchSeconds))
        let again = try store.put(docs[docs.count / 2])
        line("re-put of a stored document: \(again.rawValue)")

        let reader = try Store.openReadOnly(path: path)
        let ids = docs.map { String(($0.docID ?? "").dropFirst(7).prefix(12)) }
        try measureQueries(reader, ids: ids, units: docs.compactMap { $0.unit?.name }, options: o)
        let yChange = try reader.execute(.sql("SELECT severity, count(*) FROM findings WHERE rule = 'Y-CHANGE' GROUP BY severity"))
        let yCounts = yChange.sections[0].rows.map { "\($0[0] ?? "")=\($0[1] ?? "")" }.joined(separator: " ")
        line("Y-CHANGE findings in the synthetic store: " + (yCounts.isEmpty ? "none (every stated change agrees with the year before, by construction)" : yCounts))
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        line(String(format: "store file: %.1f MB", Double(size) / 1_048_576))
    }

    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
