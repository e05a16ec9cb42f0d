import Foundation
import TOMLKit

/// Runtime settings: `deploy/gouji.toml`, then flags. Every field has a working default.
public struct RuntimeConfig: Sendable, Equatable {
    public var workers = 2
    public var jobTimeoutMs = 120_000
    public var maxDocumentBytes = 64 << 20
    public var maxAttempts = 5
    public var restartIntensity = 10
    public var restartPeriodS = 60.0
    public var backoffInitialMs = 100
    public var backoffMaxMs = 5_000
    public var pingIntervalMs = 1_000
    public var pingTimeoutMs = 10_000
    public var drainTimeoutMs = 60_000
    public var maxFrameBytes = 64 << 20
    public var requestTimeoutMs = 30_000

    public init() {}

    public var restartPolicy: RestartPolicy {
        RestartPolicy(intensity: restartIntensity, periodSeconds: restartPeriodS,
                      backoffInitialMs: backoffInitialMs, backoffMaxMs: backoffMaxMs)
    }

    /// Reads a TOML text over the defaults. Unknown keys are ignored; wrong types are errors.
    public static func parse(toml text: String, path: String = "gouji.toml") throws(RuntimeError) -> RuntimeConfig {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch {
            throw .config(path: path, reason: "\(error)")
        }
        var c = RuntimeConfig()
        func int(_ section: String, _ key: String, _ target: inout Int, min: Int = 0) throws(RuntimeError) {
            guard let value = table[section]?.table?[key] else { return }
            guard let v = value.int else { throw .config(path: path, reason: "[\(section)] \(key) must be an integer") }
            guard v >= min else { throw .config(path: path, reason: "[\(section)] \(key) must be at least \(min)") }
            target = v
        }
        try int("parse", "workers", &c.workers)
        try int("parse", "job_timeout_ms", &c.jobTimeoutMs, min: 1)
        try int("ingest", "max_document_bytes", &c.maxDocumentBytes, min: 1)
        try int("ingest", "max_attempts", &c.maxAttempts, min: 1)
        try int("supervisor", "restart_intensity", &c.restartIntensity)
        if let v = table["supervisor"]?.table?["restart_period_s"] {
            guard let d = v.double ?? v.int.map(Double.init), d > 0 else {
                throw .config(path: path, reason: "[supervisor] restart_period_s must be a positive number")
            }
            c.restartPeriodS = d
        }
        try int("supervisor", "backoff_initial_ms", &c.backoffInitialMs)
        try int("supervisor", "backoff_max_ms", &c.backoffMaxMs)
        try int("supervisor", "ping_interval_ms", &c.pingIntervalMs, min: 10)
        try int("supervisor", "ping_timeout_ms", &c.pingTimeoutMs, min: 10)
        try int("supervisor", "drain_timeout_ms", &c.drainTimeoutMs, min: 1)
        try int("wire", "max_frame_bytes", &c.maxFrameBytes, min: 1024)
        try int("wire", "request_timeout_ms", &c.requestTimeoutMs, min: 1)
        return c
    }

    public static func load(path: String) throws(RuntimeError) -> RuntimeConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .config(path: path, reason: "cannot read the file")
        }
        return try parse(toml: String(decoding: data, as: UTF8.self), path: path)
    }

    /// The config file goujid uses: an explicit path, else `GOUJI_CONFIG`, else `deploy/gouji.toml`
    /// under the working folder, else `<home>/gouji.toml`; nil when none exists (defaults apply).
    public static func locatePath(explicit: String?, home: GoujiHome,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let p = explicit { return p }
        if let p = environment["GOUJI_CONFIG"], !p.isEmpty { return p }
        let candidates = [FileManager.default.currentDirectoryPath + "/deploy/gouji.toml", home.root + "/gouji.toml"]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
