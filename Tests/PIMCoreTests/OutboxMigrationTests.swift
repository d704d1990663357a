import Foundation
import GRDB
@testable import PIMCore
import Testing

/// Migration core-9 rebuilds `outbox` without AUTOINCREMENT and without the unique index on
/// `message_id`: mails queued before it keep their rows, ids and Message-IDs.
struct OutboxMigrationTests {
    @Test func queuedAndSentMailsSurviveTheRebuildAndIDsGoOn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pim-outbox-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let pool = try DatabasePool(path: path)
        let migrator = PIMStore.migrator(extraMigrations: [])
        try migrator.migrate(pool, upTo: "core-8-scheduler-index")
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
}
