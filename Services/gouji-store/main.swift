// gouji-store: the embedded store behind a socket (see GoujiRuntime.StoreService).
import GoujiRuntime

ServiceMain.run(name: "store") { loop, options in
    try options.home.prepare()
    let service = StoreService(loop: loop, home: options.home, config: options.config,
                               store: try makeDocumentStore(home: options.home))
    try service.start()
    return service
}
