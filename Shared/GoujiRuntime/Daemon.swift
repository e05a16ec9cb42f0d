import Foundation
import GoujiTransport

/// goujid's body: one loop, one supervisor, run until drained.
public enum Daemon {
    public static func run(home: GoujiHome, config: RuntimeConfig, configPath: String?) throws {
        Signals.unblockAll()
        RuntimeLogging.bootstrap()
        let loop = try EventLoop()
        let supervisor = Supervisor(loop: loop, home: home, config: config,
                                    binDir: Supervisor.executableFolder(), configPath: configPath)
        try supervisor.start()
        loop.run()
        withExtendedLifetime(supervisor) {}
    }
}
