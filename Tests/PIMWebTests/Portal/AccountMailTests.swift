import Foundation
import GRDB
import Logging
@testable import PIMAuth
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

    /// Wrong passwords through the real sign-in service and PAM (any PAM stack refuses these
    /// passwords); the throttle's fifth failure locks the account.
    static func failSignIns(_ user: String, _ times: Int, _ portal: TestPortal) async -> [SignInResult] {
        var results: [SignInResult] = []
        for attempt in 0..<times {
            results.append(await portal.environment.signIn.signIn(
                username: user, password: "wrong-\(attempt)-Zq9", remoteAddress: "192.0.2.44"))
        }
        return results
    }

    @Test func fiveWrongPasswordsMailTheUserOnceAndAThrottledSixthQueuesNoMore() async throws {
        let portal = try await TestPortal.make()
        _ = try portal.signIn(.plain)   // alice's profile and address, as an earlier sign-in stored them
        let results = await Self.failSignIns("alice", 5, portal)
        #expect(results == Array(repeating: .failed, count: 5))
        #expect(try await Self.queued(.signInLocked, portal) == ["alice@example.org"])
        let sixth = await Self.failSignIns("alice", 1, portal)
        guard case .throttled = sixth.first else { Issue.record("not throttled: \(sixth)"); return }
        #expect(try await Self.queued(.signInLocked, portal) == ["alice@example.org"], "a throttled attempt queues no mail")
        let sink = try SMTPSink()
        defer { sink.stop() }
        _ = try await Self.deliver(portal, to: sink)
        let mails = try sink.messages().filter { $0.header("Subject")?.contains("Sign-in") == true }
        #expect(mails.count == 1)
        let mail = try #require(mails.first)
        #expect(mail.rcpt_tos == ["alice@example.org"])
        #expect(mail.header("Subject") == "PIM: Sign-in to your account is locked after failed attempts")
        #expect(mail.data.contains("https://pim.example.org/signin"))
        #expect(mail.data.contains("5 wrong passwords"))
        let lockEnd = SignInLockMail.lockEndText(portal.clock.now().addingTimeInterval(ThrottlePolicy().baseDelay))
        #expect(mail.data.contains(lockEnd))
        #expect(!mail.data.contains("wrong-") && !mail.data.contains("192.0.2.44"), "no passwords or addresses in mails")
    }

    @Test func unknownUserNamesQueueNoLockMail() async throws {
        let portal = try await TestPortal.make()
        _ = try portal.signIn(.plain)
        for name in ["mallory", "mallory@evil.example", "ALICE\n"] {
            _ = await Self.failSignIns(name, 6, portal)
        }
        #expect(try await Self.queued(.signInLocked, portal) == [])
    }
}
