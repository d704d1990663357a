public import GRDB

extension SessionStore {
    /// Whether a flash message waits for session `id`, read inside the caller's transaction (the
    /// portal reads it with the page's user, and takes the messages only when one waits).
    public static func hasFlash(_ id: SessionID, in db: Database) throws -> Bool {
        let statement = try db.cachedStatement(sql: "SELECT flash IS NOT NULL FROM auth_sessions WHERE id_hash = ?")
        return try Bool.fetchOne(statement, arguments: [id.storageHash]) ?? false
    }
}
