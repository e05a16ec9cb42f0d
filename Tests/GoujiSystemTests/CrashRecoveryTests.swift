import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Starts the real goujid (and through it every service) from the build folder, and kills
/// services with SIGKILL while hundreds of documents are in flight.
@Suite(.serialized) struct CrashRecoveryTests {
    /// Submits the seeds, checks they are stored, then submits `count` distinct variants and
    /// SIGKILLs `victim` while they are in flight. Every acknowledged document must be stored
    /// exactly once and `status` must show the victim's restart.
    func run(victim: String, count: Int) throws {
        let daemon = try Daemon(workers: 2)
        defer { daemon.stop() }
        try daemon.waitReady()
        let rows = try daemon.status()
        #expect(rows.filter { $0["name"] as? String == "parse" }.count == 2)
        #expect(rows.allSatisfy { $0["state"] as? String == "running" })

        let seeds = try Repo.seeds()
        #expect(seeds.count == 5)
        let seedIDs = try seeds.map { try daemon.submit(path: $0) }
        let seedStates = try daemon.waitDone(seedIDs, seconds: 300)
        #expect(seedStates.values.allSatisfy { $0 == "stored" }, "seed states: \(seedStates)")
        // The store answers queries over its socket: the five seeds are listed.
        let ls = try SocketClient.request(daemon.store, type: "store.query", body: ["query": ["sql": ["_0": "SELECT COUNT(*) FROM documents"]]])
        #expect(ls.type == "store.result", "\(ls.body)")
        let counted = ((ls.body["response"] as? [String: Any])?["sections"] as? [[String: Any]])?.first?["rows"] as? [[Any]]
        #expect((counted?.first?.first as? String) == "5", "\(String(describing: counted))")
        // A second submission of the same bytes is recognised.
        #expect(try daemon.submit(path: seeds[0]) == seedIDs[0])

        guard let oldPID = try daemon.pid(of: victim) else {
            Issue.record("\(victim) has no pid")
            return
        }
        // All variants go down one connection, pipelined; the victim is SIGKILLed when half of
        // them are acknowledged, while the rest are still arriving and the first half is being
        // parsed, reconciled and stored.
        let docs = try variants(of: seeds[1], count: count)
        var acked: [String] = []
        var refused: [String] = []
        var doneAtKill = -1
        let requests = docs.enumerated().map { (i, d) in
            (type: "submit", body: ["name": "variant-\(i).txt", "data_base64": d.base64EncodedString()] as [String: Any])
        }
        try SocketClient.pipeline(daemon.ingest, requests) { i, type, body in
            if type == "submitted", let id = body["doc_id"] as? String { acked.append(id) } else { refused.append("\(type) \(body)") }
            if i == count / 2 {
                doneAtKill = (try? daemon.doneCount(acked)) ?? -1
                kill(oldPID, SIGKILL)
            }
        }
        #expect(refused.isEmpty, "refused: \(refused.prefix(3))")
        #expect(doneAtKill >= 0 && doneAtKill < count, "documents done when the victim was killed: \(doneAtKill)")
        if victim == "ingest" {
            // Killing ingest cuts the submitting connection: what was acknowledged before counts.
            #expect(acked.count > count / 2)
        } else {
            #expect(Set(acked).count == count)
        }
        // The bound is generous for a loaded 2-core machine; unloaded, this takes well under a minute.
        let states = try daemon.waitDone(acked, seconds: 900)
        let notStored = states.filter { $0.value != "stored" }
        #expect(notStored.isEmpty, "not stored: \(notStored.count), e.g. \(notStored.first.map { "\($0)" } ?? "")")

        try daemon.waitReady(seconds: 30) // a restarted store must be back to answer
        let inventory = try daemon.inventory()
        for id in acked + seedIDs {
            #expect(inventory[id] == 1, "\(id) stored \(inventory[id] ?? 0) times")
        }
        if victim == "ingest" {
            // Accepted but unacknowledged submissions (durable when ingest died) may be stored too.
            #expect(inventory.count >= Set(acked + seedIDs).count && inventory.count <= count + seedIDs.count)
        } else {
            #expect(inventory.count == Set(acked + seedIDs).count)
        }

        let after = try daemon.status()
        let row = after.first { $0["name"] as? String == victim && $0["instance"] as? Int == 0 }
        #expect((row?["restarts"] as? Int ?? 0) >= 1, "status after the kill: \(String(describing: row))")
        #expect((row?["pid"] as? Int).map(Int32.init) != oldPID)
        #expect(row?["state"] as? String == "running")
    }

    @Test func parseWorkerKilledMidRun() throws {
        try run(victim: "parse", count: 220)
    }

    @Test func storeKilledMidRun() throws {
        try run(victim: "store", count: 220)
    }

    @Test func ingestKilledMidRun() throws {
        try run(victim: "ingest", count: 220)
    }

    @Test func drainOnSIGTERMFinishesAcceptedWork() throws {
        let daemon = try Daemon(workers: 1)
        defer { daemon.stop() }
        try daemon.waitReady()
        let seeds = try Repo.seeds()
        let docs = try variants(of: seeds[0], count: 12)
        var acked: [String] = []
        for (i, d) in docs.enumerated() { acked.append(try daemon.submit(bytes: d, name: "d\(i).txt")) }
        kill(daemon.process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(300)
        while daemon.process.isRunning && Date() < deadline { usleep(50_000) }
        #expect(!daemon.process.isRunning)
        if !daemon.process.isRunning { #expect(daemon.process.terminationStatus == 0) }
        // Every acknowledged document was stored before goujid exited: the journal says so.
        let journal = try String(contentsOfFile: daemon.home + "/spool/journal.log", encoding: .utf8)
        var last: [String: String] = [:]
        for line in journal.split(separator: "\n") {
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let id = o["doc_id"] as? String, let s = o["state"] as? String else { continue }
            last[id] = s
        }
        for id in acked { #expect(last[id] == "stored", "\(id): \(last[id] ?? "absent")") }
        #expect(!FileManager.default.fileExists(atPath: daemon.control))
    }
}
