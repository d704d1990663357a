import Foundation
import PIMCore
@testable import PIMMail
import Testing

/// SPEC's 3×3 notification matrix with every setting combination of a row, from PIMCore's
/// recipient policy through the outbox, the worker and libcurl to a real SMTP server: the right
/// people get the right mail, and nobody else.
@Suite(.serialized)
struct NotificationMatrixTests {
    static let kinds: [NotificationSectionKind: [NotificationAudience: OutboxKind]] = [
        .eligibleAssigned: [.admins: .roleAssignmentAlert, .assignee: .assignedNotification, .approvers: .approveExtensionRequest],
        .activeAssigned: [.admins: .roleAssignmentAlert, .assignee: .assignedNotification, .approvers: .approveExtensionRequest],
        .activation: [.admins: .roleActivationAlert, .assignee: .activatedNotification, .approvers: .approveActivationRequest],
    ]

    static let defaults: [NotificationAudience: [Contact]] = [
        .admins: [Contact(email: "root@example.org", name: "Root Admin"), Contact(email: "grace@example.org", name: "Grace Hopper")],
        .assignee: [Contact(email: "ada@example.org", name: "Ada Lovelace")],
        .approvers: [Contact(email: "linus@example.org", name: "Linus Tørvålds")],
    ]

    @Test func everyRowAndSettingCombinationReachesExactlyTheRightPeople() async throws {
        let fixture = try MailFixture()
        let sink = try SMTPSink()
        let (worker, transport) = try fixture.worker(port: sink.port)
        defer { transport.shutdown() }
        var seen = 0
        var combinations = 0
        for section in NotificationSectionKind.allCases {
            for audience in NotificationAudience.allCases {
                let kind = Self.kinds[section]![audience]!
                for defaultOn in [true, false] {
                    for additional in [[], ["pim-alerts@example.org", "sec-team@example.org"]] {
                        for criticalOnly in [false, true] {
                            combinations += 1
                            let row = NotificationRow(defaultRecipients: defaultOn, additionalRecipients: additional, criticalEmailsOnly: criticalOnly)
                            let contacts = RecipientPolicy.recipients(row: row, kind: kind, defaults: Self.defaults[audience]!)
                            try await fixture.store.pool.write { db in
                                try Outbox.enqueue(contacts.map { OutboxMessage(kind: kind, recipient: $0.email, recipientName: $0.name, critical: kind.isCritical, payload: MailFixture.payload) },
                                                   at: fixture.clock.now(), in: db)
                            }
                            _ = await worker.deliverDue()

                            // The oracle, written from SPEC's words rather than from the policy.
                            var expected: Set<String> = []
                            if !(criticalOnly && !kind.isCritical) {
                                if defaultOn { expected.formUnion(Self.defaults[audience]!.map(\.email)) }
                                expected.formUnion(additional)
                            }
                            // The sink stores a message before its "250", so after the pass
                            // everything sent is on disk.
                            let fresh = Array(try sink.messages().dropFirst(seen))
                            let label = "\(section) \(audience) default=\(defaultOn) additional=\(additional.count) critical=\(criticalOnly)"
                            #expect(Set(fresh.flatMap(\.rcpt_tos)) == expected, "\(label)")
                            #expect(fresh.count == expected.count, "\(label)")
                            let subject = MailSubject.make(kind: kind, facts: MailFacts(values: MailFixture.payload))
                            #expect(fresh.allSatisfy { $0.header("Subject") == subject }, "\(label)")
                            seen += fresh.count
                        }
                    }
                }
            }
        }
        #expect(combinations == 72)
    }

    @Test func distributionListReceivesTheActivationAlertWithTheFacts() async throws {
        let fixture = try MailFixture()
        let sink = try SMTPSink()
        let (worker, transport) = try fixture.worker(port: sink.port)
        defer { transport.shutdown() }
        var settings = NotificationSettings()
        settings.activation.admins = NotificationRow(defaultRecipients: true, additionalRecipients: NotificationRow.parseRecipients("pim-alerts@example.org"))
        let contacts = RecipientPolicy.recipients(row: settings.activation.admins, kind: .roleActivationAlert, defaults: Self.defaults[.admins]!)
        try await fixture.store.pool.write { db in
            try Outbox.enqueue(contacts.map { OutboxMessage(kind: .roleActivationAlert, recipient: $0.email, recipientName: $0.name, critical: false, payload: MailFixture.payload) },
                               at: fixture.clock.now(), in: db)
        }
        _ = await worker.deliverDue()
        let received = try await sink.waitForMessages(3)
        let alert = try #require(received.first { $0.rcpt_tos == ["pim-alerts@example.org"] })
        #expect(alert.header("Subject") == "PIM: Ada Lovelace activated the role Database Administrator")
        #expect(alert.header("To") == "pim-alerts@example.org")
        #expect(alert.data.contains("https://pim.example.org/approvals/17"))
        #expect(Set(received.flatMap(\.rcpt_tos)) == ["pim-alerts@example.org", "root@example.org", "grace@example.org"])
    }
}
