import ArgumentParser

/// The `pim` command line: one executable for serving, migrating and administering PIM.
@main
struct PIMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pim",
        abstract: "PIM: just-in-time privileged access for Linux intranets.",
        version: PIMVersion.string,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, BootstrapCommand.self, AuditCommand.self,
            DevCommand.self, DevMailWorkerCommand.self,
        ]
    )
}

enum PIMVersion {
    static let string = "0.1.0"
}
