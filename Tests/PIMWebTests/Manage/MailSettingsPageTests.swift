import Foundation
import GRDB
import PIMCore
import PIMMail
import Testing
@testable import PIMWeb

/// Manage → Settings → Mail: the outbox as admins and Security Readers see it, and Retry.
struct MailSettingsPageTests {
    /// Exactly two mails: one still queued, one failed after its last attempt. Returns the failed id.
    static func outboxWithAFailure(_ portal: TestPortal) throws -> Int64 {
        let outbox = portal.environment.mail.outbox
        let ids = try portal.environment.store.pool.write { db in
            // Only these two: the set-up's own assignment mails are not this test's subject.
            try db.execute(sql: "DELETE FROM outbox")
            try Outbox.enqueue([
                OutboxMessage(kind: .roleActivationAlert, recipient: "dl@example.org", critical: false,
                              payload: ["roleName": "Web Operator", "link": "/roles/3"]),
                OutboxMessage(kind: .roleActivationAlert, recipient: "bounce@example.org", recipientName: "Bounce <b>Box</b>",
                              critical: false, payload: ["roleName": "Web Operator", "link": "/roles/3"]),
            ], at: portal.clock.now(), in: db)
            return try Int64.fetchAll(db, sql: "SELECT id FROM outbox ORDER BY id")
        }
        try outbox.recordFailure(id: ids[1], error: "SMTP 550 mailbox unavailable", decision: .fail)
        return ids[1]
    }

    static func status(of id: Int64, _ portal: TestPortal) async throws -> (String, Int)? {
        try await portal.environment.store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT status, attempts FROM outbox WHERE id = ?", arguments: [id]).map { ($0["status"], $0["attempts"]) }
        }
    }

    @Test func adminSeesTheOutboxAndRetriesAFailedMail() async throws {
        let portal = try await TestPortal.make()
        let failed = try Self.outboxWithAFailure(portal)
        var admin = try portal.signIn(.admin)
        let page = await admin.get("/settings/mail")
        #expect(page.status == .ok)
        let body = page.bodyText
        #expect(body.contains("No SMTP relay is configured"))
        #expect(body.contains("<dt>Queued</dt><dd>1 (1 due now)</dd>") && body.contains("<dt>Failed</dt><dd>1</dd>"))
        #expect(body.contains("dl@example.org") && body.contains("bounce@example.org"))
        #expect(body.contains("SMTP 550 mailbox unavailable"))
        #expect(body.contains("Bounce &lt;b&gt;Box&lt;/b&gt;") && !body.contains("<b>Box</b>"))
        #expect(body.contains("action=\"/settings/mail/\(failed)/retry\""))
        #expect(body.contains("action=\"/settings/mail/retry-failed\""))
        #expect(page.postFormCount == 2, "one Retry (only the failed row) and Retry all")

        let retried = try await admin.post("/settings/mail/\(failed)/retry")
        #expect(retried.status == .seeOther && retried.location == "/settings/mail")
        #expect(await admin.get("/settings/mail").bodyText.contains("Mail \(failed) is queued again"))
        #expect(try await Self.status(of: failed, portal).map { $0 == ("queued", 0) } == true)

        // Retrying a row that is no longer failed changes nothing and says so.
        _ = try await admin.post("/settings/mail/\(failed)/retry")
        #expect(await admin.get("/settings/mail").bodyText.contains("is not a failed mail"))
    }

    @Test func retryAllQueuesEveryFailedMail() async throws {
        let portal = try await TestPortal.make()
        let failed = try Self.outboxWithAFailure(portal)
        var admin = try portal.signIn(.admin)
        let response = try await admin.post("/settings/mail/retry-failed")
        #expect(response.status == .seeOther)
        #expect(await admin.get("/settings/mail").bodyText.contains("1 failed mail is queued again."))
        #expect(try await Self.status(of: failed, portal)?.0 == "queued")
    }

    @Test func statusFilterAndPagingShowOnlyThatStatus() async throws {
        let portal = try await TestPortal.make()
        _ = try Self.outboxWithAFailure(portal)
        var admin = try portal.signIn(.admin)
        let failedOnly = await admin.get("/settings/mail?status=failed")
        #expect(failedOnly.bodyText.contains("bounce@example.org") && !failedOnly.bodyText.contains("dl@example.org"))
        #expect(failedOnly.bodyText.contains("<option value=\"failed\" selected>"))
        let beyond = await admin.get("/settings/mail?page=99")
        #expect(beyond.status == .ok && beyond.bodyText.contains("Page 1 of 1 (2 mails)"))
    }

    @Test func readerSeesTheOutboxWithoutFormsAndCannotRetry() async throws {
        let portal = try await TestPortal.make()
        let failed = try Self.outboxWithAFailure(portal)
        var reader = try portal.signIn(.reader)
        let page = await reader.get("/settings/mail")
        #expect(page.status == .ok)
        #expect(page.bodyText.contains("SMTP 550 mailbox unavailable"))
        #expect(page.postFormCount == 0)
        #expect(try await reader.post("/settings/mail/\(failed)/retry").status == .forbidden)
        #expect(try await reader.post("/settings/mail/retry-failed").status == .forbidden)
        #expect(try await Self.status(of: failed, portal)?.0 == "failed")
    }

    @Test func plainUsersGet403AndRetryNeedsTheCSRFToken() async throws {
        let portal = try await TestPortal.make()
        let failed = try Self.outboxWithAFailure(portal)
        var alice = try portal.signIn(.plain)
        #expect(await alice.get("/settings/mail").status == .forbidden)
        #expect(try await alice.post("/settings/mail/\(failed)/retry").status == .forbidden)
        var admin = try portal.signIn(.admin)
        #expect(try await admin.post("/settings/mail/\(failed)/retry", csrf: .some(nil)).status == .forbidden)
        #expect(try await admin.post("/settings/mail/\(failed)/retry", csrf: .some("forged")).status == .forbidden)
        #expect(try await Self.status(of: failed, portal)?.0 == "failed")
    }

    @Test func settingsPageLinksToMail() async throws {
        let portal = try await TestPortal.make()
        var reader = try portal.signIn(.reader)
        #expect(await reader.get("/settings").bodyText.contains("href=\"/settings/mail\""))
    }
}
