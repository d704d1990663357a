import Foundation
import Logging
import PIMCore
@testable import PIMMail
import Testing

/// PIMCore's use cases → outbox → worker (woken by the service's outbox-changed hook) → libcurl
/// → aiosmtpd. For every cell of SPEC's 3×3 matrix and every setting combination of its row,
/// exactly the right people receive the right mail.
@Suite(.serialized)
struct UseCaseMailTests {
    static let users = ["root", "alice", "bob", "carol", "dave"]
    static let expectedDefaults: [NotificationAudience: Set<String>] = [
        .admins: ["root@example.org"], .assignee: ["alice@example.org"], .approvers: ["carol@example.org"],
    ]

    struct Setup {
        let mail: MailFixture
        let service: PIMService
        let sink: SMTPSink
        let worker: DeliveryWorker
        let transport: CurlSMTPTransport

        var admin: ActorContext { ActorContext(username: "root", mfaProvenAt: mail.clock.now()) }
        var alice: ActorContext { ActorContext(username: "alice", mfaProvenAt: mail.clock.now()) }

        static func make() async throws -> Setup {
            let mail = try MailFixture()
            let sink = try SMTPSink()
            let (worker, transport) = try mail.worker(port: sink.port)
            let directory = InMemoryDirectory(users: UseCaseMailTests.users.map {
                DirectoryUser(name: $0, displayName: $0 == "alice" ? "Alice Ärmel" : $0.capitalized, email: "\($0)@example.org")
            })
            let service = PIMService(store: mail.store, directory: directory, outboxChanged: worker.wakeHook)
            _ = try await service.bootstrap(admin: "root")
            _ = await worker.deliverDue()
            return Setup(mail: mail, service: service, sink: sink, worker: worker, transport: transport)
        }

        func role(_ name: String, _ configure: (inout RoleSettings) -> Void) async throws -> Role {
            var settings = RoleSettings()
            settings.notification = NotificationSettings.allOff
            configure(&settings)
            return try await service.createRole(name: name, settings: settings, by: admin)
        }
    }

    /// Runs the action of one cell on a fresh role whose only live row is that cell's.
    static func act(_ setup: Setup, section: NotificationSectionKind, audience: NotificationAudience, row: NotificationRow, index: Int) async throws {
        let role = try await setup.role("Role \(index)") { settings in
            var cell = NotificationSettings.allOff[section]
            switch audience {
            case .admins: cell.admins = row
            case .assignee: cell.assignee = row
            case .approvers: cell.approvers = row
            }
            settings.notification[section] = cell
            if section == .activation && audience == .approvers {
                settings.activation.requireApproval = true
                settings.activation.approverUsers = ["carol"]
            }
            if section != .activation && audience == .approvers {
                settings.activation.approverUsers = ["carol"]
            }
        }
        let end = setup.mail.clock.now() + 10 * 86_400
        switch (section, audience) {
        case (.activation, _):
            _ = try await setup.service.assign(roleID: role.id, members: [.user("alice")], type: .eligible, end: nil, justification: "on call", by: setup.admin)
            _ = try await setup.service.activate(roleIDs: [role.id], form: ActivationForm(durationMinutes: 60, justification: "INC-42 fix the database"), by: setup.alice)
        case (_, .approvers):
            let type: AssignmentType = section == .eligibleAssigned ? .eligible : .active
            let assignment = try await setup.service.assign(roleID: role.id, members: [.user("alice")], type: type, end: end, justification: "project", by: setup.admin)[0]
            _ = try await setup.service.requestExtension(assignmentID: assignment.id, justification: "project continues", by: setup.alice)
        case (_, _):
            let type: AssignmentType = section == .eligibleAssigned ? .eligible : .active
            _ = try await setup.service.assign(roleID: role.id, members: [.user("alice")], type: type, end: end, justification: "project", by: setup.admin)
        }
    }

    static func kind(_ section: NotificationSectionKind, _ audience: NotificationAudience) -> OutboxKind {
        switch (section, audience) {
        case (.activation, .admins): .roleActivationAlert
        case (.activation, .assignee): .activatedNotification
        case (.activation, .approvers): .approveActivationRequest
        case (_, .admins): .roleAssignmentAlert
        case (_, .assignee): .assignedNotification
        case (_, .approvers): .approveExtensionRequest
        }
    }

    @Test func everyMatrixCellAndRowSettingReachesExactlyTheRightPeople() async throws {
        let setup = try await Setup.make()
        defer { setup.transport.shutdown() }
        var seen = try setup.sink.messages().count
        var index = 0
        for section in NotificationSectionKind.allCases {
            for audience in NotificationAudience.allCases {
                let kind = Self.kind(section, audience)
                for defaultOn in [true, false] {
                    for additional in [[String](), ["pim-alerts@example.org"]] {
                        for criticalOnly in [false, true] {
                            index += 1
                            let row = NotificationRow(defaultRecipients: defaultOn, additionalRecipients: additional, criticalEmailsOnly: criticalOnly)
                            try await Self.act(setup, section: section, audience: audience, row: row, index: index)
                            _ = await setup.worker.deliverDue()
                            var expected: Set<String> = []
                            if !criticalOnly || kind.isCritical {
                                if defaultOn { expected.formUnion(Self.expectedDefaults[audience]!) }
                                expected.formUnion(additional)
                            }
                            let fresh = Array(try setup.sink.messages().dropFirst(seen))
                            seen += fresh.count
                            let label = "\(section)/\(audience) default=\(defaultOn) additional=\(additional) critical=\(criticalOnly)"
                            #expect(fresh.flatMap(\.rcpt_tos).sorted() == expected.sorted(), "\(label)")
                            #expect(fresh.allSatisfy { $0.header("Subject")?.hasPrefix("PIM: ") == true && $0.data.contains("Role \(index)") }, "\(label)")
                            let expectedSubject = MailSubject.make(kind: kind, facts: MailFacts(values: ["roleName": "Role \(index)", "requester": "alice", "requesterName": "Alice Ärmel", "assignee": "alice", "assigneeName": "Alice Ärmel"]))
                            #expect(fresh.allSatisfy { MIMETests.decodeUnstructured($0.header("Subject") ?? "") == expectedSubject }, "\(label)")
                        }
                    }
                }
            }
        }
        #expect(index == 72)
    }

    @Test func activationAlertReachesTheDistributionListWithinTwoSecondsThroughTheHook() async throws {
        let setup = try await Setup.make()
        defer { setup.transport.shutdown() }
        await setup.worker.start()
        let role = try await setup.service.createRole(name: "Database Administrator", settings: {
            var settings = RoleSettings()
            settings.notification.activation.admins = NotificationRow(additionalRecipients: NotificationRow.parseRecipients("pim-alerts@example.org"))
            return settings
        }(), by: setup.admin)
        _ = try await setup.service.assign(roleID: role.id, members: [.user("alice")], type: .eligible, end: nil, justification: "on call", by: setup.admin)
        try await Task.sleep(for: .milliseconds(300))
        let before = try setup.sink.messages().count
        let started = ContinuousClock.now
        _ = try await setup.service.activate(roleIDs: [role.id], form: ActivationForm(durationMinutes: 60, justification: "INC-42 fix the database"), by: setup.alice)
        // Admin alert to root and the list, and the activated user's own notice.
        let received = try await setup.sink.waitForMessages(before + 3, timeout: .seconds(5))
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(2), "took \(elapsed)")
        let fresh = Array(received.dropFirst(before))
        let alert = try #require(fresh.first { $0.rcpt_tos == ["pim-alerts@example.org"] })
        #expect(alert.header("Subject") == "PIM: Alice =?UTF-8?B?w4RybWVs?= activated the role Database Administrator"
                || MIMETests.decodeUnstructured(alert.header("Subject") ?? "").hasSuffix("activated the role Database Administrator"))
        #expect(alert.data.contains("INC-42 fix the database"))
        #expect(Set(fresh.flatMap(\.rcpt_tos)) == ["pim-alerts@example.org", "root@example.org", "alice@example.org"])
        let notice = try #require(fresh.first { $0.rcpt_tos == ["alice@example.org"] })
        #expect(notice.header("To")?.hasPrefix("=?UTF-8?B?") == true, "Alice Ärmel is RFC 2047-encoded")
        await setup.worker.stop()
    }

    @Test func approvalRequestLinksToTheApprovalAndTheDecisionReachesTheRequester() async throws {
        let setup = try await Setup.make()
        defer { setup.transport.shutdown() }
        let role = try await setup.service.createRole(name: "Root on web-*", settings: {
            var settings = RoleSettings()
            settings.activation.requireApproval = true
            settings.activation.approverUsers = ["carol"]
            return settings
        }(), by: setup.admin)
        _ = try await setup.service.assign(roleID: role.id, members: [.user("alice")], type: .eligible, end: nil, justification: "on call", by: setup.admin)
        _ = try await setup.service.activate(roleIDs: [role.id], form: ActivationForm(durationMinutes: 60, justification: "deploy <v2> & \"hotfix\""), by: setup.alice)
        _ = await setup.worker.deliverDue()
        let request = try #require(try setup.sink.messages().first { $0.rcpt_tos == ["carol@example.org"] })
        let requestID = try #require(try setup.mail.rows().first { $0.kind == "approveActivationRequest" }.flatMap { try? MailFacts(json: $0.payload)["requestID"] })
        #expect(request.data.contains("https://pim.example.org/approvals/\(requestID)"))
        #expect(request.data.contains("deploy &lt;v2&gt; &amp; &quot;hotfix&quot;"), "HTML part escapes the justification")

        let before = try setup.sink.messages().count
        _ = try await setup.service.decide(requestID: Int64(requestID)!, decision: .approve, justification: "ok, go", by: ActorContext(username: "carol", mfaProvenAt: setup.mail.clock.now()))
        _ = await setup.worker.deliverDue()
        let decided = Array(try setup.sink.messages().dropFirst(before))
        let approved = try #require(decided.first { $0.header("Subject")?.contains("was approved") == true })
        #expect(approved.rcpt_tos == ["alice@example.org"])
        #expect(approved.data.contains("ok, go"))
    }
}

extension NotificationRow {
    static let off = NotificationRow(defaultRecipients: false)
}

extension NotificationSettings {
    static var allOff: NotificationSettings {
        var settings = NotificationSettings()
        for section in NotificationSectionKind.allCases {
            var s = NotificationSection()
            s.admins = .off
            s.assignee = .off
            s.approvers = .off
            settings[section] = s
        }
        return settings
    }
}
