import Foundation
import GRDB
@testable import PIMCore
import Testing

/// The table rebuilds of migrations core-9 (`outbox` without AUTOINCREMENT and without the
/// unique index on `message_id`) and core-10 (`assignment` and `request_approver` with their
/// CHECKs spelt without `IN`):
/// the rows, ids and rules survive them.
struct RebuildMigrationTests {
    /// A database in a folder of its own (removed with `folder`), migrated up to `migration`.
    static func database(migratedUpTo migration: String) throws
        -> (pool: DatabasePool, migrator: DatabaseMigrator, folder: TemporaryFolder) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pim-rebuild-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let folder = TemporaryFolder(url)
        let pool = try DatabasePool(path: url.appendingPathComponent("pim.sqlite").path)
        let migrator = PIMStore.migrator(extraMigrations: [])
        try migrator.migrate(pool, upTo: migration)
        return (pool, migrator, folder)
    }

    @Test func queuedAndSentMailsSurviveTheRebuildAndIDsGoOn() throws {
        let (pool, migrator, folder) = try Self.database(migratedUpTo: "core-8-scheduler-index")
        defer { withExtendedLifetime(folder) {} }
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        try pool.write { db in
            let messages = ["a@example.org", "b@example.org", "c@example.org"].map {
                OutboxMessage(kind: .activatedNotification, recipient: $0, critical: false, payload: ["roleName": "Ops <&>"])
            }
            try Outbox.enqueue(messages, at: time, in: db)
            try db.execute(sql: "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = 1 WHERE recipient = 'a@example.org'",
                           arguments: [time])
        }
        let before = try pool.read { try Row.fetchAll($0, sql: "SELECT * FROM outbox ORDER BY id") }
        #expect(before.count == 3)

        try migrator.migrate(pool)
        try pool.write { db in
            #expect(try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY id") == before)
            let schema = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'outbox'") ?? ""
            #expect(!schema.contains("AUTOINCREMENT") && !schema.contains("UNIQUE"))
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_sequence WHERE name = 'outbox'") == 0)
            #expect(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE tbl_name = 'outbox' AND type = 'index'")
                == ["outbox_due"])
            // The status CHECK came along.
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE outbox SET status = 'lost'") }
            try Outbox.enqueue([OutboxMessage(kind: .activatedNotification, recipient: "d@example.org", critical: false,
                                              payload: [:])], at: time, in: db)
            #expect(try Int64.fetchOne(db, sql: "SELECT id FROM outbox WHERE recipient = 'd@example.org'")
                == (before.last?["id"] as Int64?).map { $0 + 1 })
        }
    }

    @Test func assignmentsKeepTheirRowsReferencesRulesAndIDHighWaterMark() throws {
        let (pool, migrator, folder) = try Self.database(migratedUpTo: "core-9-outbox-plain-ids")
        defer { withExtendedLifetime(folder) {} }
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        try pool.write { db in
            for name in ["Ops", "Temp"] {
                try db.execute(sql: "INSERT INTO role (name, created_at, updated_at) VALUES (?, ?, ?)", arguments: [name, time, time])
                try db.execute(sql: "INSERT INTO role_settings (role_id, settings, updated_at, updated_by) VALUES (?, '{}', ?, 'test')",
                               arguments: [db.lastInsertedRowID, time])
            }
            let ops = try Int64.fetchOne(db, sql: "SELECT id FROM role WHERE name = 'Ops'")!
            let temp = try Int64.fetchOne(db, sql: "SELECT id FROM role WHERE name = 'Temp'")!
            let eligible = try Tables.insert(Assignment(
                roleID: ops, principal: .user("alice"), type: .eligible, start: time, end: nil, isActivation: false,
                eligibilityID: nil, requestID: nil, justification: "on call", createdBy: "admin", createdAt: time), isAdministratorRole: false, db)
            try Tables.insert(Assignment(
                roleID: ops, principal: .user("alice"), type: .active, start: time, end: time + 3600, isActivation: true,
                eligibilityID: eligible.id, requestID: nil, justification: "INC-1", createdBy: "alice", createdAt: time), isAdministratorRole: false, db)
            try db.execute(sql: "UPDATE assignment SET ended_reason = 'deactivated', ended_at = ?, ended_by = 'alice' WHERE is_activation",
                           arguments: [time + 600])
            // The newest assignment goes with its role: its id must not come back.
            try Tables.insert(Assignment(
                roleID: temp, principal: .group("dba"), type: .eligible, start: time, end: nil, isActivation: false,
                eligibilityID: nil, requestID: nil, justification: nil, createdBy: "admin", createdAt: time), isAdministratorRole: false, db)
            try db.execute(sql: "DELETE FROM role WHERE id = ?", arguments: [temp])
            try db.execute(sql: """
                INSERT INTO request (kind, status, role_id, principal_kind, principal_name, requester, created_at, updated_at)
                VALUES ('selfActivate', 'PendingApproval', ?, 'user', 'alice', 'alice', ?, ?)
                """, arguments: [ops, time, time])
            try Tables.insertApprovers([.group("secops"), .pimAdministrators], request: db.lastInsertedRowID, db)
        }
        let before = try pool.read { try Row.fetchAll($0, sql: "SELECT * FROM assignment ORDER BY id") }
        #expect(before.count == 2)
        let approvers = try pool.read { try Tables.approvers(of: 1, $0) }
        #expect(approvers == [.group("secops"), .pimAdministrators])

        try migrator.migrate(pool)
        try pool.write { db in
            #expect(try Row.fetchAll(db, sql: "SELECT * FROM assignment ORDER BY id") == before)
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            let schema = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'assignment'") ?? ""
            #expect(schema.contains("AUTOINCREMENT") && !schema.contains("ended_reason IN"))
            #expect(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE tbl_name = 'assignment' AND type = 'index' ORDER BY name")
                == ["assignment_by_eligibility", "assignment_by_principal", "assignment_by_role", "assignment_open_ends"])
            // The rules came along: an unknown end reason or a window ending before it starts is refused.
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE assignment SET ended_reason = 'lost'") }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE assignment SET end_at = '2000-01-01 00:00:00.000'") }
            let ops = try Int64.fetchOne(db, sql: "SELECT id FROM role WHERE name = 'Ops'")!
            let next = try Tables.insert(Assignment(
                roleID: ops, principal: .user("bob"), type: .eligible, start: time, end: nil, isActivation: false,
                eligibilityID: nil, requestID: nil, justification: nil, createdBy: "admin", createdAt: time), isAdministratorRole: false, db)
            #expect(next.id == 4)
            try db.execute(sql: "UPDATE assignment SET ended_reason = 'removed' WHERE id = ?", arguments: [next.id])
            #expect(try Tables.approvers(of: 1, db) == approvers)
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO request_approver (request_id, kind, name) VALUES (1, 'everyone', '')")
            }
            #expect(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE tbl_name = 'request_approver' AND type = 'index'")
                == ["request_approver_by_principal"])
            // Deleting the request still takes its approvers along.
            try db.execute(sql: "DELETE FROM request")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM request_approver") == 0)
        }
    }
}
