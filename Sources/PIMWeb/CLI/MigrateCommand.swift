import ArgumentParser
import PIMCore

/// `pim migrate`: applies pending schema migrations and lists them.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let store = try options.openStore(migrate: false)
        let applied = try store.migrate(extraMigrations: CommonOptions.extraMigrations)
        print(applied.isEmpty ? "Database is up to date." : "Applied: " + applied.joined(separator: ", "))
    }
}
