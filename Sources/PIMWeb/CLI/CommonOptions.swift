import ArgumentParser
import Foundation
import PIMCore

/// `--database` and `--config`, shared by every command that opens the store.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Path of the SQLite database (default ./data/pim.sqlite, or `database` in the config file).")
    var database: String?

    @Option(name: .long, help: "Configuration file (lines `key = value`; this command reads `database`).")
    var config: String?

    /// Migrations of the other modules (auth, mail), run after PIMCore's. The composition root
    /// fills this list as modules land.
    static let extraMigrations: [SchemaMigration] = AppEnvironment.extraMigrations

    func databasePath() throws -> String {
        if let database { return database }
        if let config {
            guard let text = try? String(contentsOfFile: config, encoding: .utf8) else {
                throw ValidationError("Cannot read the configuration file \(config).")
            }
            for line in text.split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0] == "database" {
                    return parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
        }
        return "./data/pim.sqlite"
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
