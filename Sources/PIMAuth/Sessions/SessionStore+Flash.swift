import Foundation
public import GRDB

/// One-time messages for a session's next page ("Role activated until 15:30."), a JSON array of
/// `{"kind", "text"}` in `auth_sessions.flash` (NULL when none waits).
extension SessionStore {
    /// Queues a message for the next page of this session. The caller's task waits for the
    /// group commit without holding a thread.
    public func addFlash(_ message: FlashMessage, to id: SessionID) async throws {
        try await writer.write { db in try Self.addFlash(message, to: id, in: db) }
    }

    /// Queues a message inside the caller's write transaction, so that a use case and the message
    /// that reports it commit together (one trip to the writer, one savepoint).
    ///
    /// SQLite's JSON functions append in place: decoding and re-encoding the whole list in Swift
    /// cost more than the activation it reports. Only the newest `maxFlashMessages` are kept; a
    /// stored value that is not a JSON array (never written by PIM) starts a new list.
    public static func addFlash(_ message: FlashMessage, to id: SessionID, in db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE auth_sessions SET flash = json_insert(
                CASE WHEN json_valid(flash) AND json_type(flash) = 'array'
                     THEN CASE WHEN json_array_length(flash) >= \(maxFlashMessages) THEN json_remove(flash, '$[0]') ELSE flash END
                     ELSE '[]' END,
                '$[#]', json_object('kind', ?, 'text', ?))
            WHERE id_hash = ?
            """)
        // SQLite takes bound text up to a NUL; a NUL has nothing to show anyway. (The byte test:
        // Foundation's `contains` of a string cost a tenth of this whole update.)
        let text = message.text.utf8.contains(0) ? message.text.replacingOccurrences(of: "\0", with: "\u{FFFD}") : message.text
        try statement.execute(arguments: [message.kind.rawValue, text, id.storageHash])
    }

    /// Whether a flash message waits for session `id`, read inside the caller's transaction (the
    /// portal reads it with the page's user, and takes the messages only when one waits).
    public static func hasFlash(_ id: SessionID, in db: Database) throws -> Bool {
        let statement = try db.cachedStatement(sql: "SELECT flash IS NOT NULL FROM auth_sessions WHERE id_hash = ?")
        return try Bool.fetchOne(statement, arguments: [id.storageHash]) ?? false
    }

    /// Returns and forgets the queued messages (each is shown once).
    public func takeFlash(for id: SessionID) throws -> [FlashMessage] {
        // Most pages have no message waiting: a read answers them without queueing for the
        // single writer; the write below checks again, so a message is still shown once.
        guard try writer.pool.read({ db in try Self.hasFlash(id, in: db) }) else { return [] }
        return try writer.writeAndWait { db in
            let messages = try Self.flash(of: id, in: db)
            try db.execute(sql: "UPDATE auth_sessions SET flash = NULL WHERE id_hash = ?", arguments: [id.storageHash])
            return messages
        }
    }

    static func flash(of id: SessionID, in db: Database) throws -> [FlashMessage] {
        guard let json = try String.fetchOne(
            db, sql: "SELECT flash FROM auth_sessions WHERE id_hash = ?", arguments: [id.storageHash])
        else { return [] }
        return (try? JSONDecoder().decode([FlashMessage].self, from: Data(json.utf8))) ?? []
    }
}
