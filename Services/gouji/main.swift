// gouji: the command-line client. Control subcommands are in ControlCommands.swift, query
// subcommands in QueryCommands.swift, the in-process linter in CheckCommand.swift.
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

struct Gouji: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gouji",
        abstract: "Read, reconcile, store and query Chinese government budget disclosures.",
        subcommands: [
            Up.self, Down.self, Status.self, Scale.self, Ingest.self, Check.self,
            Ls.self, Show.self, Findings.self, Sum.self, Top.self, Compare.self, Sql.self, Export.self,
        ])
}

signal(SIGPIPE, SIG_IGN) // a server closing early is an error reply, not a killed CLI
Gouji.main()
