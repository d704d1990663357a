public import Foundation
public import GRDB
public import PIMCore

/// Server-side sessions in the `auth_sessions` table (migration "auth-1-sessions").
public final class SessionStore: Sendable {
    /// Flash messages kept per session at most; older ones are dropped.
    static let maxFlashMessages = 8
    /// A session's last-seen time is written at most this often, not on every request.
    static let touchInterval: TimeInterval = 15

    /// Writes join the store's group commit: async ones suspend the caller, the synchronous
    /// ones (rare: expiry, touch, sign-out…) block it until their batch is committed.
    private let writer: WriteCommitter
    private let clock: any PIMClock
    public let configuration: SessionConfiguration

    public init(writer: WriteCommitter, clock: any PIMClock, configuration: SessionConfiguration = SessionConfiguration()) {
        self.writer = writer
        self.clock = clock
        self.configuration = configuration
    }

    /// Starts a session for `username` inside the caller's transaction (sign-in writes the session,
    /// its audit event and the profile together). Returns the new id for the cookie.
    public func create(username: String, remoteAddress: String?, mfaVerifiedAt: Date? = nil, in db: Database) throws -> SessionID {
        let id = SessionID.generate()
        let now = clock.now()
        try db.execute(
            sql: """
                INSERT INTO auth_sessions (id_hash, username, created_at, last_seen_at, mfa_at, remote_address)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [id.storageHash, username, now, now, mfaVerifiedAt, remoteAddress])
        return id
    }

    public func create(username: String, remoteAddress: String?, mfaVerifiedAt: Date? = nil) throws -> SessionID {
        try writer.writeAndWait { [self] db in try create(username: username, remoteAddress: remoteAddress, mfaVerifiedAt: mfaVerifiedAt, in: db) }
    }

    /// Loads the session behind a cookie value, ending it if it timed out and noting activity.
    /// Most requests only read; a write happens on expiry or every `touchInterval` at most.
    public func load(token: String?) throws -> SessionLoad {
        guard let token, let id = SessionID(token: token) else { return .none }
        let now = clock.now()
        guard let row = try writer.pool.read({ db in
            try Row.fetchOne(db, sql: "SELECT * FROM auth_sessions WHERE id_hash = ?", arguments: [id.storageHash])
        }) else { return .none }
        let createdAt: Date = row["created_at"]
        let lastSeenAt: Date = row["last_seen_at"]
        if now.timeIntervalSince(lastSeenAt) >= configuration.idleTimeout
            || now.timeIntervalSince(createdAt) >= configuration.absoluteTimeout {
            try end(id)
            return .expired
        }
        var seen = lastSeenAt
        if now.timeIntervalSince(lastSeenAt) >= Self.touchInterval {
            // Conditional on the row still being there: a concurrent sign-out stays signed out.
            let touched = try writer.writeAndWait { db in
                try db.execute(sql: "UPDATE auth_sessions SET last_seen_at = ? WHERE id_hash = ?",
                               arguments: [now, id.storageHash])
                return db.changesCount == 1
            }
            guard touched else { return .none }
            seen = now
        }
        return .active(Session(
            id: id, username: row["username"], createdAt: createdAt, lastSeenAt: seen,
            mfaVerifiedAt: row["mfa_at"], remoteAddress: row["remote_address"]))
    }

    /// Gives the session a new id (the old one stops working at once), optionally recording an MFA
    /// proof time. Returns nil if the session no longer exists.
    public func rotate(_ id: SessionID, mfaVerifiedAt: Date? = nil) throws -> SessionID? {
        try writer.writeAndWait { [self] db in try rotate(id, mfaVerifiedAt: mfaVerifiedAt, in: db) }
    }

    public func rotate(_ id: SessionID, mfaVerifiedAt: Date? = nil, in db: Database) throws -> SessionID? {
        let fresh = SessionID.generate()
        try db.execute(
            sql: """
                UPDATE auth_sessions SET id_hash = ?, mfa_at = COALESCE(?, mfa_at), last_seen_at = ?
                WHERE id_hash = ?
                """,
            arguments: [fresh.storageHash, mfaVerifiedAt, clock.now(), id.storageHash])
        return db.changesCount == 1 ? fresh : nil
    }

    /// Sign-out: the session ends on the server, whatever the browser keeps.
    public func end(_ id: SessionID) throws {
        try writer.writeAndWait { [self] db in try end(id, in: db) }
    }

    public func end(_ id: SessionID, in db: Database) throws {
        try db.execute(sql: "DELETE FROM auth_sessions WHERE id_hash = ?", arguments: [id.storageHash])
    }

    /// Ends every session of `username` (admin action, MFA reset); returns how many ended.
    @discardableResult
    public func endAll(username: String, in db: Database) throws -> Int {
        try db.execute(sql: "DELETE FROM auth_sessions WHERE username = ?", arguments: [username])
        return db.changesCount
    }

    @discardableResult
    public func endAll(username: String) throws -> Int {
        try writer.writeAndWait { [self] db in try endAll(username: username, in: db) }
    }

    /// Deletes sessions past either timeout (call it from time to time); returns how many.
    @discardableResult
    public func purgeExpired() throws -> Int {
        let now = clock.now()
        return try writer.writeAndWait { [configuration] db in
            try db.execute(
                sql: "DELETE FROM auth_sessions WHERE last_seen_at <= ? OR created_at <= ?",
                arguments: [now.addingTimeInterval(-configuration.idleTimeout),
                            now.addingTimeInterval(-configuration.absoluteTimeout)])
            return db.changesCount
        }
    }

    /// Queues a message for the next page of this session. The caller's task waits for the
    /// group commit without holding a thread.
    public func addFlash(_ message: FlashMessage, to id: SessionID) async throws {
        try await writer.write { db in
            var messages = try Self.flash(of: id, in: db)
            messages.append(message)
            messages = Array(messages.suffix(Self.maxFlashMessages))
            let json = String(decoding: try JSONEncoder().encode(messages), as: UTF8.self)
            try db.execute(sql: "UPDATE auth_sessions SET flash = ? WHERE id_hash = ?", arguments: [json, id.storageHash])
        }
    }

    /// Returns and forgets the queued messages (each is shown once).
    public func takeFlash(for id: SessionID) throws -> [FlashMessage] {
        // Most pages have no message waiting: a read answers them without queueing for the
        // single writer; the write below checks again, so a message is still shown once.
        guard try !writer.pool.read({ db in try Self.flash(of: id, in: db) }).isEmpty else { return [] }
        return try writer.writeAndWait { db in
            let messages = try Self.flash(of: id, in: db)
            if !messages.isEmpty {
                try db.execute(sql: "UPDATE auth_sessions SET flash = NULL WHERE id_hash = ?", arguments: [id.storageHash])
            }
            return messages
        }
    }

    private static func flash(of id: SessionID, in db: Database) throws -> [FlashMessage] {
        guard let json = try String.fetchOne(
            db, sql: "SELECT flash FROM auth_sessions WHERE id_hash = ?", arguments: [id.storageHash])
        else { return [] }
        return (try? JSONDecoder().decode([FlashMessage].self, from: Data(json.utf8))) ?? []
    }
}
