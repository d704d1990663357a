import Foundation
import Testing
@testable import PIMCore

struct NotificationTests {
    @Test func defaultRecipientsOfTheActivationSectionAreAdminsAndTheUser() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        try await f.eligible(.user("alice"), role)
        let before = try f.outbox().count
        _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice"))
        let mails = try f.outbox().dropFirst(before)
        #expect(mails.map(\.kind).sorted() == ["activatedNotification", "roleActivationAlert"])
        #expect(mails.first { $0.kind == "roleActivationAlert" }?.recipient == "root@example.org")
        #expect(mails.first { $0.kind == "activatedNotification" }?.recipient == "alice@example.org")
    }

    @Test func uncheckedDefaultsWithAdditionalRecipientsGoOnlyToThem() async throws {
        let f = try await Fixture.make()
        let role = try await f.role {
            $0.notification.activation.admins = NotificationRow(defaultRecipients: false, additionalRecipients: ["dba-list@example.org"])
            $0.notification.activation.assignee = NotificationRow(defaultRecipients: false)
        }
        try await f.eligible(.user("alice"), role)
        let before = try f.outbox().count
        _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice"))
        let mails = Array(try f.outbox().dropFirst(before))
        #expect(mails.map(\.recipient) == ["dba-list@example.org"])
    }

    @Test func criticalOnlyRowsSendOnlyMailsThatAskForAction() {
        let row = NotificationRow(defaultRecipients: true, additionalRecipients: ["x@example.org"], criticalEmailsOnly: true)
        let people = [Contact(email: "a@example.org")]
        #expect(RecipientPolicy.recipients(row: row, kind: .roleActivationAlert, defaults: people).isEmpty)
        #expect(RecipientPolicy.recipients(row: row, kind: .approveActivationRequest, defaults: people).map(\.email)
                == ["a@example.org", "x@example.org"])
        let duplicate = NotificationRow(additionalRecipients: ["A@example.org"])
        #expect(RecipientPolicy.recipients(row: duplicate, kind: .roleActivationAlert, defaults: people).count == 1)
    }

    @Test func assignmentSectionsFollowTheirType() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.notification.eligibleAssigned.assignee.defaultRecipients = false }
        let before = try f.outbox().count
        try await f.eligible(.user("alice"), role)
        #expect(Array(try f.outbox().dropFirst(before)).map(\.kind) == ["roleAssignmentAlert"])
        let mid = try f.outbox().count
        _ = try await f.service.assign(roleID: role.id, members: [.user("bob")], type: .active, end: f.clock.now() + 86_400,
                                       justification: "x", by: f.admin)
        #expect(Array(try f.outbox().dropFirst(mid)).map(\.kind).sorted() == ["assignedNotification", "roleAssignmentAlert"])
    }

    @Test func theHookFiresAfterCommitOnlyWhenMailWasQueued() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.notification = NotificationSettings.silent }
        let calls = f.hookCalls.count
        try await f.eligible(.user("alice"), role)
        #expect(f.hookCalls.count == calls)
        let loud = try await f.role("Loud")
        try await f.eligible(.user("alice"), loud)
        #expect(f.hookCalls.count == calls + 1)
        _ = await refusal { try await f.eligible(.user("alice"), loud) }
        #expect(f.hookCalls.count == calls + 1)
    }

    @Test func payloadsCarryTheFactsAndAStableMessageID() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        try await f.eligible(.user("alice"), role)
        let row = try await f.store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT message_id FROM outbox")
        }
        #expect(Set(row).count == row.count && row.allSatisfy { $0.hasPrefix("<") && $0.hasSuffix("@pim>") })
        let payload = try await f.store.pool.read { try String.fetchOne($0, sql: "SELECT payload FROM outbox ORDER BY id DESC LIMIT 1") }
        let facts = try JSONDecoder().decode([String: String].self, from: Data(try #require(payload).utf8))
        #expect(facts["roleName"] == "Database Administrator" && facts["assignee"] == "alice")
    }
}

extension NotificationSettings {
    static var silent: NotificationSettings {
        var s = NotificationSettings()
        for section in NotificationSectionKind.allCases {
            s[section] = NotificationSection()
            s[section].admins.defaultRecipients = false
            s[section].assignee.defaultRecipients = false
            s[section].approvers.defaultRecipients = false
        }
        return s
    }
}

extension NotificationTests {
    /// Message-IDs are unique even when made in the same millisecond, and a later one sorts after
    /// an earlier one (the unique index grows at its end), up to the year 9999 and from 1970.
    @Test func messageIDsAreUniqueAndSortByTime() {
        let times = [0, 1, 999, 1_764_980_000_123, 1_764_980_000_124, 253_402_300_799_999].map {
            Date(timeIntervalSince1970: Double($0) / 1000)
        }
        let ids = times.map(Outbox.messageID(at:))
        #expect(ids == ids.sorted())
        let sameTime = (0..<1000).map { _ in Outbox.messageID(at: times[3]) }
        #expect(Set(sameTime).count == 1000)
        #expect(sameTime.allSatisfy { $0 > ids[2] && $0 < ids[4] })
        for id in ids + sameTime.prefix(3) {
            #expect(id.hasPrefix("<") && id.hasSuffix("@pim>") && id.utf8.count == 55, "\(id)")
            #expect(id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "<>.@".contains($0)) }, "\(id)")
        }
        // A clock before 1970 (never in production) still makes a well-formed id.
        #expect(Outbox.messageID(at: Date(timeIntervalSince1970: -5)).hasPrefix("<0000000000000000."))
    }
}

