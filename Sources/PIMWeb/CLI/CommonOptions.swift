import ArgumentParser
import Foundation
import PIMCore

/// `--database` and `--config`, shared by every command that opens the store.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Path of the SQLite database (overrides PIM_DATABASE and `database` of the config file; default ./data/pim.sqlite).")
    var database: String?

    @Option(name: .long, help: "JSON configuration file (see README, Configuration).")
    var config: String?

    /// Migrations of the other modules (auth, mail), run after PIMCore's. The composition root
    /// fills this list as modules land.
    static let extraMigrations: [SchemaMigration] = AppEnvironment.extraMigrations

    /// From `PIMSettings`: this flag, then `PIM_DATABASE`, then the config file, then the default.
    func databasePath() throws -> String {
        do {
            return try PIMSettings.load(file: config, flags: ["database": database]).database
        } catch {
            throw CommandFailure(error.description)
        }
    }

    func openStore(migrate: Bool = true, clock: any PIMClock = SystemClock()) throws -> PIMStore {
        try PIMStore.open(path: try databasePath(), extraMigrations: Self.extraMigrations, clock: clock, migrate: migrate)
    }
}

/// A refusal a command reports as "Error: …" with exit code 1 (no usage text).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
