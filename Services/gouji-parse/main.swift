// gouji-parse: a stateless, pull-based parse worker (see GoujiRuntime.ParseWorker).
import GoujiRuntime

ServiceMain.run(name: "parse") { loop, options in
    let worker = ParseWorker(loop: loop, home: options.home, config: options.config, instance: options.instance)
    worker.start()
    return worker
}
