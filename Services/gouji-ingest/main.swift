// gouji-ingest: the spool and dispatcher (see GoujiRuntime.IngestService).
import GoujiRuntime

ServiceMain.run(name: "ingest") { loop, options in
    let service = try IngestService(loop: loop, home: options.home, config: options.config)
    try service.start()
    return service
}
