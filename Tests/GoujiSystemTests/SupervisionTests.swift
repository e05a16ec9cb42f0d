import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// goujid's supervision seen from outside: intensity limit, health pings, scaling.
@Suite(.serialized) struct SupervisionTests {
    @Test func pastTheRestartIntensityAServiceIsFailed() throws {
        let daemon = try Daemon(workers: 1, restartIntensity: 2)
        defer { daemon.stop() }
        try daemon.waitReady()
        var pid = try #require(try daemon.pid(of: "reconcile"))
        for round in 1...2 {
            kill(pid, SIGKILL)
            let old = pid
            let row = try daemon.waitFor("reconcile") { r in
                r["state"] as? String == "running" && (r["pid"] as? Int).map(Int32.init) != old
            }
            #expect(row["restarts"] as? Int == round)
            pid = try #require((row["pid"] as? Int).map(Int32.init))
        }
        kill(pid, SIGKILL)
        let failed = try daemon.waitFor("reconcile") { $0["state"] as? String == "failed" }
        #expect(failed["restarts"] as? Int == 2)
        #expect(failed["pid"] == nil || failed["pid"] is NSNull)
        #expect((failed["reason"] as? String)?.contains("restarts") == true)
        // The others are untouched.
        #expect(try daemon.waitFor("ingest") { $0["state"] as? String == "running" }["restarts"] as? Int == 0)
    }

    @Test func anUnresponsiveServiceIsKilledAndRestarted() throws {
        let daemon = try Daemon(workers: 1, pingTimeoutMs: 1000)
        defer { daemon.stop() }
        try daemon.waitReady()
        let pid = try #require(try daemon.pid(of: "parse"))
        kill(pid, SIGSTOP) // alive but silent: no pong
        let row = try daemon.waitFor("parse", seconds: 20) { r in
            r["state"] as? String == "running" && (r["pid"] as? Int).map(Int32.init) != pid
        }
        #expect((row["restarts"] as? Int ?? 0) >= 1)
        #expect(kill(pid, 0) != 0) // the silent one is gone
    }

    @Test func parseWorkersScaleAtRuntime() throws {
        let daemon = try Daemon(workers: 1)
        defer { daemon.stop() }
        try daemon.waitReady()
        let up = try SocketClient.request(daemon.control, type: "scale", body: ["service": "parse", "count": 3])
        #expect(up.type == "scale.reply")
        try daemon.waitReady()
        #expect(try daemon.status().filter { $0["name"] as? String == "parse" && $0["state"] as? String == "running" }.count == 3)
        let down = try SocketClient.request(daemon.control, type: "scale", body: ["service": "parse", "count": 1])
        #expect(down.type == "scale.reply")
        let deadline = Date().addingTimeInterval(20)
        var parse: [[String: Any]] = []
        repeat {
            parse = try daemon.status().filter { $0["name"] as? String == "parse" }
            if parse.count == 1 { break }
            usleep(50_000)
        } while Date() < deadline
        #expect(parse.count == 1)
        // Documents still flow through the remaining worker.
        let seed = try #require(try Repo.seeds().first)
        let id = try daemon.submit(path: seed)
        #expect(try daemon.waitDone([id], seconds: 300)[id] == "stored")
        let bad = try SocketClient.request(daemon.control, type: "scale", body: ["service": "store", "count": 2])
        #expect(bad.type == "error")
    }
}
