import Foundation
import Testing
@testable import GoujiRuntime
import GoujiModel
import GoujiParse
import GoujiTestSupport
import GoujiWire

@Suite struct RestartPolicyTests {
    let policy = RestartPolicy(intensity: 3, periodSeconds: 10, backoffInitialMs: 100, backoffMaxMs: 1000)

    @Test func backoffDoublesUpToTheCap() {
        #expect((0..<6).map { policy.backoffMs(recent: $0) } == [100, 200, 400, 800, 1000, 1000])
    }

    @Test func givesUpPastTheIntensityWithinThePeriod() {
        var t = RestartTracker(policy: policy)
        #expect(t.childExited(at: 0) == .restart(afterMs: 100))
        #expect(t.childExited(at: 1) == .restart(afterMs: 200))
        #expect(t.childExited(at: 2) == .restart(afterMs: 400))
        #expect(t.childExited(at: 3) == .giveUp)
        #expect(t.total == 3)
    }

    @Test func oldRestartsLeaveTheWindow() {
        var t = RestartTracker(policy: policy)
        _ = t.childExited(at: 0)
        _ = t.childExited(at: 1)
        _ = t.childExited(at: 2)
        // 12 s later the first two are out of the 10 s window.
        #expect(t.childExited(at: 11.5) == .restart(afterMs: 200))
        #expect(t.total == 4)
        #expect(t.recent.count == 2)
    }

    @Test func zeroIntensityNeverRestarts() {
        var t = RestartTracker(policy: RestartPolicy(intensity: 0, periodSeconds: 5, backoffInitialMs: 1, backoffMaxMs: 1))
        #expect(t.childExited(at: 0) == .giveUp)
    }
}

@Suite struct DispatcherTests {
    typealias D = Dispatcher<Int, String>

    @Test func idleWorkerWaitsThenGetsTheNextJob() {
        var d = D()
        #expect(d.request(worker: 1, ticket: "r1") == nil)
        let a = d.enqueue("j1")
        #expect(a?.worker == 1 && a?.ticket == "r1" && a?.job == "j1")
        #expect(d.leased == 1 && d.queued == 0)
        #expect(d.enqueue("j1") == nil) // already leased: not queued twice
        #expect(d.queued == 0)
    }

    @Test func jobsGoOutInOrderToWhoeverAsks() {
        var d = D()
        for j in ["a", "b", "c"] { _ = d.enqueue(j) }
        #expect(d.request(worker: 1, ticket: "x")?.job == "a")
        #expect(d.request(worker: 2, ticket: "y")?.job == "b")
        #expect(d.request(worker: 1, ticket: "z")?.job == "c")
        #expect(d.inFlight(of: 1) == 2)
        let byOther = d.complete("a", by: 2)
        #expect(byOther == false) // not the lessee
        let byLessee = d.complete("a", by: 1)
        #expect(byLessee)
        #expect(d.inFlight(of: 1) == 1)
    }

    @Test func deadWorkerHoldsNoQueue() {
        var d = D()
        for j in ["a", "b", "c"] { _ = d.enqueue(j) }
        _ = d.request(worker: 1, ticket: "1")
        _ = d.request(worker: 1, ticket: "2")
        _ = d.request(worker: 2, ticket: "3")
        let r = d.release(worker: 1)
        #expect(r.requeued == ["a", "b"])
        #expect(r.poisoned.isEmpty)
        #expect(Array(d.queue) == ["a", "b"])
        #expect(d.request(worker: 3, ticket: "4")?.job == "a")
        // A late completion from the dead worker is ignored.
        let late = d.complete("b", by: 1)
        #expect(late == false)
    }

    @Test func poisonedAfterMaxAttempts() {
        var d = D(maxAttempts: 2)
        _ = d.enqueue("p")
        _ = d.request(worker: 1, ticket: "a")
        #expect(d.release(worker: 1).requeued == ["p"])
        _ = d.request(worker: 2, ticket: "b")
        let r = d.release(worker: 2)
        #expect(r.poisoned == ["p"] && r.requeued.isEmpty)
        #expect(d.queued == 0 && d.leased == 0)
    }

    @Test func expiredLeaseIsRequeued() {
        var d = D()
        _ = d.enqueue("j")
        _ = d.request(worker: 1, ticket: "a")
        let first = d.expire("j")
        #expect(first == .requeued)
        let second = d.expire("j")
        #expect(second == .notLeased)
        let late = d.complete("j", by: 1)
        #expect(late == false)
        #expect(d.request(worker: 2, ticket: "b")?.job == "j")
    }
}

@Suite struct ConfigTests {
    static func repoRoot() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func deployConfigParses() throws {
        let c = try RuntimeConfig.load(path: Self.repoRoot().path + "/deploy/gouji.toml")
        #expect(c.workers == 2)
        #expect(c.maxFrameBytes == 64 << 20)
        #expect(c.restartPolicy.intensity == c.restartIntensity)
        #expect(c.restartPeriodS > 0)
    }

    @Test func valuesOverrideDefaultsAndWrongTypesAreErrors() throws {
        let c = try RuntimeConfig.parse(toml: "[parse]\nworkers = 5\n[supervisor]\nrestart_period_s = 2.5\n")
        #expect(c.workers == 5)
        #expect(c.restartPeriodS == 2.5)
        #expect(c.pingIntervalMs == RuntimeConfig().pingIntervalMs)
        #expect(throws: RuntimeError.self) { try RuntimeConfig.parse(toml: "[parse]\nworkers = \"many\"\n") }
        #expect(throws: RuntimeError.self) { try RuntimeConfig.parse(toml: "[parse\nworkers = 1") }
    }
}

@Suite struct HomeTests {
    @Test func homeComesFromTheEnvironment() {
        #expect(GoujiHome.resolve(environment: ["GOUJI_HOME": "/tmp/x/"]).root == "/tmp/x")
        #expect(GoujiHome.resolve(environment: ["HOME": "/home/u"]).root == "/home/u/.local/share/gouji")
    }

    @Test func prepareMakesAPrivateRunFolder() throws {
        let root = NSTemporaryDirectory() + "gouji-home-\(UUID().uuidString.prefix(8))"
        let home = GoujiHome(root: root)
        try FileManager.default.createDirectory(atPath: home.run, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        try home.prepare()
        let attrs = try FileManager.default.attributesOfItem(atPath: home.run)
        #expect((attrs[.posixPermissions] as? Int) == 0o700)
        #expect(FileManager.default.fileExists(atPath: home.spool))
        #expect(FileManager.default.fileExists(atPath: home.data))
    }
}

@Suite struct ReconcileServiceBodyTests {
    /// The reply body built by setting `findings` in the request's parsed JSON is the same value as
    /// encoding the checked document from scratch, on every seed.
    @Test func settingFindingsEqualsEncodingTheCheckedDocument() throws {
        for url in try SharedData.seedFiles() {
            let text = try String(contentsOf: url, encoding: .utf8)
            var doc = BudgetParser().parse(text: text, source: Source(name: url.lastPathComponent, format: .text), docID: "sha256:x")
            let request = try JSONValue(encoding: DocumentBody(docID: "sha256:x", document: doc))
            let reply = try ReconcileService.reconciledBody(request)
            doc.findings = reconcileFindings(doc)
            #expect(doc.findings?.isEmpty == false, "\(url.lastPathComponent) has findings to carry")
            #expect(reply == (try JSONValue(encoding: DocumentBody(docID: "sha256:x", document: doc))), "\(url.lastPathComponent)")
        }
    }

    @Test func aBodyWithoutADocumentIsABadRequest() {
        #expect(throws: ServiceError.self) { try ReconcileService.reconciledBody(.object(["doc_id": "sha256:x"])) }
        #expect(throws: ServiceError.self) { try ReconcileService.reconciledBody(.object(["doc_id": "sha256:x", "document": "text"])) }
        #expect(throws: ServiceError.self) { try ReconcileService.reconciledBody(.array([])) }
    }
}
