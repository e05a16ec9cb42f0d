// gouji-reconcile: adds findings to documents (see GoujiRuntime.ReconcileService).
import GoujiRuntime

ServiceMain.run(name: "reconcile") { loop, options in
    let service = ReconcileService(loop: loop, home: options.home, config: options.config)
    try service.start()
    return service
}
