import GRDB
public import PIMCore

/// PIMAuth's own tables, registered after PIMCore's through `PIMStore.open(extraMigrations:)`.
public enum AuthSchema {
    /// Sessions keyed by the SHA-256 of their id; the id itself is never stored.
    static func createSessions(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE auth_sessions (
                id_hash BLOB PRIMARY KEY NOT NULL CHECK (length(id_hash) = 32),
                username TEXT NOT NULL,
                created_at DATETIME NOT NULL,
                last_seen_at DATETIME NOT NULL,
                mfa_at DATETIME,
                remote_address TEXT,
                flash TEXT
            ) WITHOUT ROWID;
            CREATE INDEX auth_sessions_by_user ON auth_sessions(username);
            """)
    }

    /// TOTP enrolment per user: the secret sealed with AES-GCM, the last accepted time-step
    /// (replay guard) and the wrong-code lock.
    static func createTOTP(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE auth_totp (
                username TEXT PRIMARY KEY NOT NULL,
                sealed_secret BLOB,
                pending_secret BLOB,
                pending_created_at DATETIME,
                enrolled_at DATETIME,
                last_counter INTEGER,
                failed_count INTEGER NOT NULL DEFAULT 0,
                locked_until DATETIME
            ) WITHOUT ROWID;
            """)
    }
}

extension AuthSchema {
    /// Pass these to `PIMStore.open(path:extraMigrations:clock:)`.
    public static let migrations: [SchemaMigration] = [
        SchemaMigration(name: "auth-1-sessions", migrate: createSessions),
        SchemaMigration(name: "auth-2-totp", migrate: createTOTP),
        SchemaMigration(name: "auth-3-flash-in-cookie", migrate: { db in
            // Flash messages travel in a signed cookie now (`FlashCookie`).
            try db.execute(sql: "ALTER TABLE auth_sessions DROP COLUMN flash")
        }),
    ]
}
