import Foundation
import GoujiTransport
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The body of every service executable: options, logging, one event loop, the control link.
public enum ServiceMain {
    public static func run(name: String, make: (EventLoop, ServiceOptions) throws -> any SupervisedService) -> Never {
        Signals.unblockAll()
        RuntimeLogging.bootstrap()
        let logger = Logger(label: "gouji.\(name)")
        let options: ServiceOptions
        do { options = try ServiceOptions.parse() } catch {
            logger.critical("bad arguments", metadata: ["error": "\(error)"])
            exit(2)
        }
        let loop: EventLoop
        do { loop = try EventLoop() } catch {
            logger.critical("cannot create the event loop", metadata: ["error": "\(error)"])
            exit(1)
        }
        let service: any SupervisedService
        do { service = try make(loop, options) } catch {
            logger.critical("cannot start", metadata: ["service": "\(name)", "error": "\(error)"])
            exit(1)
        }
        let link = ControlLink(loop: loop, home: options.home, name: name, instance: options.instance,
                               service: service, maxFrameBytes: options.config.maxFrameBytes)
        link.start()
        loop.onSignal(SIGTERM) { exit(0) }
        logger.info("running", metadata: ["service": "\(name)", "instance": "\(options.instance)", "pid": "\(getpid())"])
        loop.run()
        withExtendedLifetime((service, link)) {}
        exit(0)
    }
}
