public import Foundation
public import GRDB
public import PIMCore

/// Server-side sessions in the `auth_sessions` table (migration "auth-1-sessions").
public final class SessionStore: Sendable {
    /// A session's last-seen time is written at most this often, not on every request.
    static let touchInterval: TimeInterval = 15

    /// Writes join the store's group commit: async ones suspend the caller, the synchronous
    /// ones (rare: expiry, touch, sign-out…) block it until their batch is committed.
    let writer: WriteCommitter
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
            arguments: [id.storageHash, username, now.storedValue, now.storedValue, mfaVerifiedAt?.storedValue, remoteAddress])
        return id
    }

    public func create(username: String, remoteAddress: String?, mfaVerifiedAt: Date? = nil) throws -> SessionID {
        try writer.writeAndWait { [self] db in try create(username: username, remoteAddress: remoteAddress, mfaVerifiedAt: mfaVerifiedAt, in: db) }
    }

    /// Loads the session behind a cookie value, ending it if it timed out and noting activity.
    /// Most requests only read; a write happens on expiry or every `touchInterval` at most.
    public func load(token: String?) throws -> SessionLoad {
        try settle(writer.pool.read { db in try read(token: token, in: db) })
    }

    /// The session behind a cookie value as stored, read inside the caller's transaction (the
    /// portal reads it with the rest of the page's user). ``settle(_:)`` makes the writes it asks for.
    public func read(token: String?, in db: Database) throws -> SessionRead {
        guard let token, let id = SessionID(token: token) else { return .none }
        let statement = try db.cachedStatement(sql: """
            SELECT username, created_at, last_seen_at, mfa_at, remote_address FROM auth_sessions WHERE id_hash = ?
            """)
        // Read in place from the statement (PIMCore's decoding of stored rows): every page asks.
        guard let row = try StatementColumnsCursor(statement, arguments: [id.storageHash]).next() else { return .none }
        let now = clock.now()
        let createdAt = row.date(1)
        let lastSeenAt = row.date(2)
        if now.timeIntervalSince(lastSeenAt) >= configuration.idleTimeout
            || now.timeIntervalSince(createdAt) >= configuration.absoluteTimeout {
            return .expired(id)
        }
        let session = Session(id: id, username: row.string(0), createdAt: createdAt, lastSeenAt: lastSeenAt,
                              mfaVerifiedAt: row.optionalDate(3), remoteAddress: row.optionalString(4))
        return .active(session, touch: now.timeIntervalSince(lastSeenAt) >= Self.touchInterval)
    }

    /// Ends a session read as expired, notes the activity of one due for it; outside any transaction.
    public func settle(_ read: SessionRead) throws -> SessionLoad {
        switch read {
        case .none:
            return .none
        case .expired(let id):
            try end(id)
            return .expired
        case .active(let session, touch: false):
            return .active(session)
        case .active(var session, touch: true):
            let now = clock.now()
            let id = session.id
            // Conditional on the row still being there: a concurrent sign-out stays signed out.
            let touched = try writer.writeAndWait { db in
                try db.execute(sql: "UPDATE auth_sessions SET last_seen_at = ? WHERE id_hash = ?",
                               arguments: [now.storedValue, id.storageHash])
                return db.changesCount == 1
            }
            guard touched else { return .none }
            session.lastSeenAt = now
            return .active(session)
        }
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
            arguments: [fresh.storageHash, mfaVerifiedAt?.storedValue, clock.now().storedValue, id.storageHash])
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
                arguments: [now.addingTimeInterval(-configuration.idleTimeout).storedValue,
                            now.addingTimeInterval(-configuration.absoluteTimeout).storedValue])
            return db.changesCount
        }
    }
}
