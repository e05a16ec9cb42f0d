// goujid: the orchestrator (see GoujiRuntime.Supervisor).
import ArgumentParser
import Foundation
import GoujiRuntime

struct Goujid: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "goujid",
        abstract: "Supervise the gouji services: spawn, restart with backoff, scale, drain on SIGTERM.")

    @Option(help: "Parse workers at start (overrides [parse] workers).")
    var workers: Int?

    @Option(help: "Configuration file (default: $GOUJI_CONFIG, ./deploy/gouji.toml, $GOUJI_HOME/gouji.toml).")
    var config: String?

    @Option(help: "Home folder (default: $GOUJI_HOME or ~/.local/share/gouji).")
    var home: String?

    @Option(help: "Restart intensity: more restarts than this within the period marks an instance failed.")
    var restartIntensity: Int?

    @Option(help: "Maximum frame size in bytes.")
    var maxFrameBytes: Int?

    func run() throws {
        let h = home.map { GoujiHome(root: $0) } ?? GoujiHome.resolve()
        let path = RuntimeConfig.locatePath(explicit: config, home: h)
        var c = try path.map { p throws(RuntimeError) in try RuntimeConfig.load(path: p) } ?? RuntimeConfig()
        if let w = workers { c.workers = w }
        if let r = restartIntensity { c.restartIntensity = r }
        if let m = maxFrameBytes { c.maxFrameBytes = m }
        try Daemon.run(home: h, config: c, configPath: path)
    }
}

Goujid.main()
