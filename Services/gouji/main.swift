// gouji: the command-line client. Control subcommands are in ControlCommands.swift.
import ArgumentParser

struct Gouji: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gouji",
        abstract: "Read, reconcile, store and query Chinese government budget disclosures.",
        subcommands: [Up.self, Down.self, Status.self, Scale.self, Ingest.self])
}

Gouji.main()
