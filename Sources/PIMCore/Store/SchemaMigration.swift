public import GRDB

/// One named step of the database schema. Modules other than PIMCore register theirs through
/// `PIMStore.open(path:extraMigrations:clock:)`, with names prefixed by the module
/// ("auth-1-sessions", "mail-1-..."); they run after the core migrations, in the order given.
public struct SchemaMigration: Sendable {
    public let name: String
    public let migrate: @Sendable (Database) throws -> Void

    public init(name: String, migrate: @escaping @Sendable (Database) throws -> Void) {
        self.name = name
        self.migrate = migrate
    }
}
