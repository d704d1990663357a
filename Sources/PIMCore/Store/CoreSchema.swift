import Foundation
import GRDB

/// PIMCore's migrations, in order. Never edit a shipped migration; add a new one.
enum CoreSchema {
    static let migrations: [SchemaMigration] = [
        SchemaMigration(name: "core-1-roles", migrate: createRoles),
        SchemaMigration(name: "core-2-requests-assignments", migrate: createRequestsAndAssignments),
        SchemaMigration(name: "core-3-profiles-outbox", migrate: createProfilesAndOutbox),
        SchemaMigration(name: "core-4-audit", migrate: createAudit),
        SchemaMigration(name: "core-5-builtin-roles", migrate: seedBuiltInRoles),
        SchemaMigration(name: "core-6-audit-role-action-index", migrate: { db in
            // The Audit page filtered by role and action together (measured in Benchmarks/core).
            try db.execute(sql: "CREATE INDEX audit_by_role_action ON audit_event(role_id, action, seq)")
        }),
        SchemaMigration(name: "core-7-assignment-role-window-index", migrate: { db in
            // Counting a role's current assignments reads only the index (start_at included).
            try db.execute(sql: """
                DROP INDEX assignment_by_role;
                CREATE INDEX assignment_by_role ON assignment(role_id, type, end_at, start_at);
                """)
        }),
        SchemaMigration(name: "core-8-scheduler-index", migrate: { db in
            // The scheduler's candidate filter (end, kind, reminder level) answered from the index.
            try db.execute(sql: """
                DROP INDEX assignment_open_ends;
                CREATE INDEX assignment_open_ends ON assignment(end_at, is_activation, reminder_level)
                  WHERE ended_reason IS NULL AND end_at IS NOT NULL;
                """)
        }),
        SchemaMigration(name: "core-9-outbox-plain-ids", migrate: rebuildOutboxWithPlainIDs),
        SchemaMigration(name: "core-10-checks-without-in", migrate: rebuildChecksWithoutIn),
        SchemaMigration(name: "core-11-last-activation-from-assignments", migrate: { db in
            // `UserProfiles.lastActivation(of:in:)` reads it from the assignments.
            try db.execute(sql: "ALTER TABLE user_profile DROP COLUMN last_activation_at")
        }),
        SchemaMigration(name: "core-12-fewer-audit-indexes", migrate: { db in
            // Every audit event is written to each index of the table, and the role and user
            // indexes put each event on a page of its own: the bulk of an activation's writes.
            // - A role's page walks `audit_by_role_action` once per action of the role, so
            //   `audit_by_role` was a second copy of the same entries.
            // - An event whose target is its actor (every self-activation) is already found
            //   by `audit_by_actor`; the target index keeps only the others.
            try db.execute(sql: """
                DROP INDEX audit_by_role;
                DROP INDEX audit_by_target;
                CREATE INDEX audit_by_target ON audit_event(target, seq) WHERE target <> actor;
                """)
        }),
    ]

    private static func createRoles(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE role (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
              description TEXT NOT NULL DEFAULT '',
              builtin TEXT UNIQUE CHECK (builtin IN ('pimAdministrator', 'securityReader')),
              created_at DATETIME NOT NULL,
              updated_at DATETIME NOT NULL
            );
            CREATE TABLE role_settings (
              role_id INTEGER PRIMARY KEY REFERENCES role(id) ON DELETE CASCADE,
              settings TEXT NOT NULL,
              updated_at DATETIME NOT NULL,
              updated_by TEXT NOT NULL
            );
            """)
    }

    private static func createRequestsAndAssignments(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE request (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              kind TEXT NOT NULL,
              status TEXT NOT NULL,
              role_id INTEGER NOT NULL REFERENCES role(id) ON DELETE CASCADE,
              principal_kind TEXT NOT NULL CHECK (principal_kind IN ('user', 'group')),
              principal_name TEXT NOT NULL,
              requester TEXT NOT NULL,
              assignment_type TEXT CHECK (assignment_type IN ('eligible', 'active')),
              justification TEXT,
              ticket_system TEXT,
              ticket_number TEXT,
              requested_start DATETIME,
              requested_end DATETIME,
              duration_seconds INTEGER,
              target_assignment_id INTEGER REFERENCES assignment(id) ON DELETE SET NULL,
              result_assignment_id INTEGER REFERENCES assignment(id) ON DELETE SET NULL,
              approvals_required INTEGER NOT NULL DEFAULT 0,
              timeout_at DATETIME,
              mfa_proven BOOLEAN NOT NULL DEFAULT 0,
              created_at DATETIME NOT NULL,
              updated_at DATETIME NOT NULL,
              closed_at DATETIME
            );
            CREATE INDEX request_by_requester ON request(requester, id);
            CREATE INDEX request_pending_timeout ON request(status, timeout_at);
            CREATE INDEX request_by_role ON request(role_id, status);

            -- Who may decide a pending request, fixed when the request is made.
            -- kind 'pimAdministrators' (name '') stands for the holders of PIM Administrator.
            CREATE TABLE request_approver (
              request_id INTEGER NOT NULL REFERENCES request(id) ON DELETE CASCADE,
              kind TEXT NOT NULL CHECK (kind IN ('user', 'group', 'pimAdministrators')),
              name TEXT NOT NULL,
              PRIMARY KEY (request_id, kind, name)
            ) WITHOUT ROWID;
            CREATE INDEX request_approver_by_principal ON request_approver(kind, name, request_id);

            CREATE TABLE request_decision (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              request_id INTEGER NOT NULL REFERENCES request(id) ON DELETE CASCADE,
              approver TEXT NOT NULL,
              decision TEXT NOT NULL CHECK (decision IN ('approve', 'deny')),
              justification TEXT,
              mfa_proven BOOLEAN NOT NULL DEFAULT 0,
              decided_at DATETIME NOT NULL,
              UNIQUE (request_id, approver)
            );

            CREATE TABLE assignment (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              role_id INTEGER NOT NULL REFERENCES role(id) ON DELETE CASCADE,
              principal_kind TEXT NOT NULL CHECK (principal_kind IN ('user', 'group')),
              principal_name TEXT NOT NULL,
              type TEXT NOT NULL CHECK (type IN ('eligible', 'active')),
              start_at DATETIME NOT NULL,
              end_at DATETIME,
              is_activation BOOLEAN NOT NULL DEFAULT 0,
              eligibility_id INTEGER REFERENCES assignment(id) ON DELETE SET NULL,
              request_id INTEGER REFERENCES request(id) ON DELETE SET NULL,
              justification TEXT,
              created_by TEXT NOT NULL,
              created_at DATETIME NOT NULL,
              ended_reason TEXT CHECK (ended_reason IN ('removed', 'revoked', 'deactivated', 'expired', 'replaced')),
              ended_at DATETIME,
              ended_by TEXT,
              reminder_level INTEGER NOT NULL DEFAULT 0,
              CHECK (end_at IS NULL OR end_at >= start_at)
            );
            CREATE INDEX assignment_by_principal ON assignment(principal_kind, principal_name, role_id, type, end_at);
            CREATE INDEX assignment_by_role ON assignment(role_id, type, end_at);
            CREATE INDEX assignment_open_ends ON assignment(end_at)
              WHERE ended_reason IS NULL AND end_at IS NOT NULL;
            CREATE INDEX assignment_by_eligibility ON assignment(eligibility_id) WHERE eligibility_id IS NOT NULL;
            """)
    }

    private static func createProfilesAndOutbox(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE user_profile (
              username TEXT PRIMARY KEY,
              display_name TEXT NOT NULL DEFAULT '',
              email TEXT,
              mfa_enrolled BOOLEAN NOT NULL DEFAULT 0,
              last_sign_in_at DATETIME,
              last_activation_at DATETIME,
              created_at DATETIME NOT NULL
            );
            CREATE TABLE outbox (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              created_at DATETIME NOT NULL,
              kind TEXT NOT NULL,
              recipient TEXT NOT NULL,
              recipient_name TEXT,
              critical BOOLEAN NOT NULL DEFAULT 0,
              payload TEXT NOT NULL,
              message_id TEXT NOT NULL UNIQUE,
              status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
              attempts INTEGER NOT NULL DEFAULT 0,
              next_attempt_at DATETIME NOT NULL,
              lease_until DATETIME,
              last_error TEXT,
              sent_at DATETIME
            );
            CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
            """)
    }

    /// Every queued mail (three per activation) also wrote `sqlite_sequence` (AUTOINCREMENT)
    /// and a unique index on `message_id`. Outbox rows are never deleted, so plain rowids do not
    /// come back either, and a Message-ID is unique by its 128 random bits (`Outbox.messageID`).
    /// The status CHECK is spelt with `=`: SQLite checks `IN` with three values or more against
    /// a temporary table it builds for every row written (see core-10).
    private static func rebuildOutboxWithPlainIDs(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE outbox_plain (
              id INTEGER PRIMARY KEY,
              created_at DATETIME NOT NULL,
              kind TEXT NOT NULL,
              recipient TEXT NOT NULL,
              recipient_name TEXT,
              critical BOOLEAN NOT NULL DEFAULT 0,
              payload TEXT NOT NULL,
              message_id TEXT NOT NULL,
              status TEXT NOT NULL DEFAULT 'queued' CHECK (status = 'queued' OR status = 'sent' OR status = 'failed'),
              attempts INTEGER NOT NULL DEFAULT 0,
              next_attempt_at DATETIME NOT NULL,
              lease_until DATETIME,
              last_error TEXT,
              sent_at DATETIME
            );
            INSERT INTO outbox_plain SELECT id, created_at, kind, recipient, recipient_name, critical, payload, message_id,
              status, attempts, next_attempt_at, lease_until, last_error, sent_at FROM outbox;
            DROP TABLE outbox;
            ALTER TABLE outbox_plain RENAME TO outbox;
            CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
            DELETE FROM sqlite_sequence WHERE name = 'outbox';
            """)
    }

    /// `CHECK (x IN (three values or more))` makes SQLite build a temporary table of the values
    /// for every row inserted or updated (EXPLAIN shows `OpenEphemeral`): with the outbox's, a
    /// fifth of an activation's instructions on the one writer thread (1,360K to 1,102K in
    /// Benchmarks/core-instructions.sh). The same rules with `=` and `OR` are plain
    /// comparisons; a NULL passes either way. SQLite cannot change a CHECK in place, so the
    /// tables are rebuilt (foreign keys are checked after the migration, see GRDB's
    /// `DatabaseMigrator`) with their indexes as migrations 2, 7 and 8 left them.
    private static func rebuildChecksWithoutIn(_ db: Database) throws {
        try rebuildAssignmentCheck(db)
        try db.execute(sql: """
            CREATE TABLE request_approver_checked (
              request_id INTEGER NOT NULL REFERENCES request(id) ON DELETE CASCADE,
              kind TEXT NOT NULL CHECK (kind = 'user' OR kind = 'group' OR kind = 'pimAdministrators'),
              name TEXT NOT NULL,
              PRIMARY KEY (request_id, kind, name)
            ) WITHOUT ROWID;
            INSERT INTO request_approver_checked SELECT request_id, kind, name FROM request_approver;
            DROP TABLE request_approver;
            ALTER TABLE request_approver_checked RENAME TO request_approver;
            CREATE INDEX request_approver_by_principal ON request_approver(kind, name, request_id);
            """)
    }

    /// Keeps the AUTOINCREMENT high-water mark, so the id of a deleted assignment never comes back.
    private static func rebuildAssignmentCheck(_ db: Database) throws {
        let highWater = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'assignment'") ?? 0
        try db.execute(sql: """
            CREATE TABLE assignment_checked (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              role_id INTEGER NOT NULL REFERENCES role(id) ON DELETE CASCADE,
              principal_kind TEXT NOT NULL CHECK (principal_kind IN ('user', 'group')),
              principal_name TEXT NOT NULL,
              type TEXT NOT NULL CHECK (type IN ('eligible', 'active')),
              start_at DATETIME NOT NULL,
              end_at DATETIME,
              is_activation BOOLEAN NOT NULL DEFAULT 0,
              eligibility_id INTEGER REFERENCES assignment(id) ON DELETE SET NULL,
              request_id INTEGER REFERENCES request(id) ON DELETE SET NULL,
              justification TEXT,
              created_by TEXT NOT NULL,
              created_at DATETIME NOT NULL,
              ended_reason TEXT CHECK (ended_reason = 'removed' OR ended_reason = 'revoked' OR ended_reason = 'deactivated'
                OR ended_reason = 'expired' OR ended_reason = 'replaced'),
              ended_at DATETIME,
              ended_by TEXT,
              reminder_level INTEGER NOT NULL DEFAULT 0,
              CHECK (end_at IS NULL OR end_at >= start_at)
            );
            INSERT INTO assignment_checked SELECT id, role_id, principal_kind, principal_name, type, start_at, end_at,
              is_activation, eligibility_id, request_id, justification, created_by, created_at, ended_reason, ended_at,
              ended_by, reminder_level FROM assignment;
            DROP TABLE assignment;
            ALTER TABLE assignment_checked RENAME TO assignment;
            CREATE INDEX assignment_by_principal ON assignment(principal_kind, principal_name, role_id, type, end_at);
            CREATE INDEX assignment_by_role ON assignment(role_id, type, end_at, start_at);
            CREATE INDEX assignment_open_ends ON assignment(end_at, is_activation, reminder_level)
              WHERE ended_reason IS NULL AND end_at IS NOT NULL;
            CREATE INDEX assignment_by_eligibility ON assignment(eligibility_id) WHERE eligibility_id IS NOT NULL;
            """)
        try db.execute(sql: """
            DELETE FROM sqlite_sequence WHERE name = 'assignment';
            INSERT INTO sqlite_sequence (name, seq) VALUES ('assignment', max(?, (SELECT coalesce(max(id), 0) FROM assignment)));
            """, arguments: [highWater])
    }

    private static func createAudit(_ db: Database) throws {
        // No foreign keys: the log outlives roles and requests. seq is the chain order.
        try db.execute(sql: """
            CREATE TABLE audit_event (
              seq INTEGER PRIMARY KEY AUTOINCREMENT,
              time DATETIME NOT NULL,
              actor TEXT NOT NULL,
              action TEXT NOT NULL,
              target TEXT,
              role_id INTEGER,
              role_name TEXT,
              request_id INTEGER,
              assignment_id INTEGER,
              justification TEXT,
              ticket TEXT,
              result TEXT NOT NULL,
              source_address TEXT,
              details TEXT NOT NULL DEFAULT '',
              prev_hash TEXT NOT NULL,
              hash TEXT NOT NULL
            );
            CREATE INDEX audit_by_time ON audit_event(time);
            CREATE INDEX audit_by_role ON audit_event(role_id, seq);
            CREATE INDEX audit_by_actor ON audit_event(actor, seq);
            CREATE INDEX audit_by_target ON audit_event(target, seq);
            CREATE INDEX audit_by_action ON audit_event(action, seq);
            """)
    }

    // The built-in roles are stamped with the install time of the host (no clock is injected
    // into migrations; the value is informational only).
    private static func seedBuiltInRoles(_ db: Database) throws {
        let now = Date()
        for builtIn in BuiltInRole.allCases {
            try db.execute(
                sql: "INSERT INTO role (name, description, builtin, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [builtIn.name, builtIn.summary, builtIn.rawValue, now, now])
            try db.execute(
                sql: "INSERT INTO role_settings (role_id, settings, updated_at, updated_by) VALUES (?, ?, ?, 'system')",
                arguments: [db.lastInsertedRowID, try RoleSettings.defaults.jsonText(), now])
        }
    }
}
