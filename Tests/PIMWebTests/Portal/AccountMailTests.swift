import Foundation
import GRDB
import Logging
import PIMAuth
import PIMCore
import PIMMail
import Testing
@testable import PIMWeb

/// Mails about the user's own account (issue 7): an administrator's MFA reset and a lockout
/// after wrong codes reach the user through the outbox and a real SMTP server.
struct AccountMailTests {
    /// Delivers what is due from the portal's outbox to `sink` through PIMMail's real worker.
    static func deliver(_ portal: TestPortal, to sink: SMTPSink) async throws -> DeliveryWorker.PassReport {
        let configuration = MailConfiguration(
            smtp: SMTPConfiguration(host: "127.0.0.1", port: sink.port, security: .none, connectTimeout: .seconds(2)),
            sender: try EmailAddress("pim@example.org"), publicBaseURL: "https://pim.example.org")
        let transport = CurlSMTPTransport(configuration: configuration.smtp)
        defer { transport.shutdown() }
        let worker = DeliveryWorker(
            store: portal.environment.mail.outbox, transport: transport, composer: try MailComposer(configuration: configuration),
            configuration: configuration, clock: portal.clock, logger: Logger(label: "test"))
        return await worker.deliverDue()
    }

    static func queued(_ kind: OutboxKind, _ portal: TestPortal) async throws -> [String] {
        try await portal.environment.store.pool.read {
            try String.fetchAll($0, sql: "SELECT recipient FROM outbox WHERE kind = ?", arguments: [kind.rawValue])
        }
    }

    @Test func adminMFAResetMailsTheUserWithTheAdminAndALinkToSecurityInfo() async throws {
        let portal = try await TestPortal.make()
        _ = try portal.signIn(.plain)   // the profile (and its address) as sign-in stores it
        _ = try portal.enrolTOTP("alice")
        try portal.environment.totp.adminReset(user: "alice", by: "admin", justification: "Lost phone", sourceAddress: "192.0.2.7")
        #expect(try await Self.queued(.mfaReset, portal) == ["alice@example.org"])
        let sink = try SMTPSink()
        defer { sink.stop() }
        _ = try await Self.deliver(portal, to: sink)
        let mail = try #require(try sink.messages().first { $0.rcpt_tos == ["alice@example.org"] && $0.header("Subject")?.contains("reset") == true })
        #expect(mail.header("Subject") == "PIM: Your multi-factor authentication was reset")
        #expect(mail.data.contains("https://pim.example.org/security-info"))
        #expect(mail.data.contains("Lost phone") && mail.data.contains("admin"))
    }

    @Test func lockoutAfterWrongCodesMailsTheUserOnce() async throws {
        let portal = try await TestPortal.make()
        _ = try portal.signIn(.plain)
        let app = try portal.enrolTOTP("alice")
        let good = try app.code(at: portal.clock.now())
        let wrong = String(format: "%06d", (Int(good)! + 1) % 1_000_000)
        var outcome: TOTPVerification?
        for _ in 0..<10 {
            outcome = try portal.environment.totp.verify(user: "alice", code: wrong, sourceAddress: "192.0.2.9")
            if case .locked = outcome { break }
        }
        guard case .locked = outcome else { Issue.record("not locked: \(String(describing: outcome))"); return }
        // Further tries while locked queue no more mail.
        _ = try portal.environment.totp.verify(user: "alice", code: wrong, sourceAddress: "192.0.2.9")
        #expect(try await Self.queued(.mfaLocked, portal) == ["alice@example.org"])
        let sink = try SMTPSink()
        defer { sink.stop() }
        _ = try await Self.deliver(portal, to: sink)
        let mail = try #require(try sink.messages().first { $0.header("Subject")?.contains("locked") == true })
        #expect(mail.rcpt_tos == ["alice@example.org"])
        #expect(mail.data.contains("minutes"))
        #expect(!mail.data.contains(good) && !mail.data.contains(wrong), "no codes in mails")
    }
}
