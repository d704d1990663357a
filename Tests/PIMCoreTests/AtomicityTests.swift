import Foundation
import GRDB
import Testing
@testable import PIMCore

/// A use case that fails after its change is written leaves no change and no event: a
/// trigger makes a later step of the same transaction fail for real.
struct AtomicityTests {
    @Test func failingAuditAppendLeavesNoActivation() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        try await f.eligible(.user("alice"), role)
        let events = try f.count("SELECT count(*) FROM audit_event")
        let mails = try f.count("SELECT count(*) FROM outbox")
        try await f.store.pool.write { db in
            try db.execute(sql: """
                CREATE TRIGGER fail_audit BEFORE INSERT ON audit_event WHEN NEW.action = 'roleActivated'
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                """)
        }
        await #expect(throws: DatabaseError.self) {
            _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice"))
        }
        #expect(try f.count("SELECT count(*) FROM assignment WHERE is_activation = 1") == 0)
        #expect(try f.count("SELECT count(*) FROM request WHERE kind = 'selfActivate'") == 0)
        #expect(try f.count("SELECT count(*) FROM audit_event") == events)
        #expect(try f.count("SELECT count(*) FROM outbox") == mails)
    }

    @Test func failingOutboxInsertLeavesNoAssignmentAndNoEvent() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        let events = try f.count("SELECT count(*) FROM audit_event")
        let calls = f.hookCalls.count
        try await f.store.pool.write { db in
            try db.execute(sql: "CREATE TRIGGER fail_mail BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'smtp table full'); END")
        }
        await #expect(throws: DatabaseError.self) {
            _ = try await f.service.assign(roleID: role.id, members: [.user("alice"), .user("bob")], type: .eligible,
                                           justification: "x", by: f.admin)
        }
        #expect(try f.count("SELECT count(*) FROM assignment WHERE role_id = ?", [role.id]) == 0)
        #expect(try f.count("SELECT count(*) FROM audit_event") == events)
        #expect(f.hookCalls.count == calls, "no wake-up for a rolled back transaction")
        #expect(try f.verify() == .intact(events: Int64(events)))
    }

    @Test func aFailureInTheSecondRoleOfABulkActivationUndoesTheFirst() async throws {
        let f = try await Fixture.make()
        let one = try await f.role("One")
        let two = try await f.role("Two")
        try await f.eligible(.user("alice"), one)
        try await f.eligible(.user("alice"), two)
        try await f.store.pool.write { db in
            try db.execute(sql: """
                CREATE TRIGGER fail_second BEFORE INSERT ON assignment WHEN NEW.is_activation = 1 AND NEW.role_id = \(two.id)
                BEGIN SELECT RAISE(ABORT, 'injected'); END
                """)
        }
        await #expect(throws: DatabaseError.self) {
            _ = try await f.service.activate(roleIDs: [one.id, two.id], form: Fixture.form, by: f.user("alice"))
        }
        #expect(try f.count("SELECT count(*) FROM assignment WHERE is_activation = 1") == 0)
        #expect(try f.count("SELECT count(*) FROM audit_event WHERE action = 'roleActivated'") == 0)
    }
}
