import Foundation
import GRDB
import PIMCore
import Testing
@testable import PIMWeb

struct AuditPagesTests {
    /// Events by and about several users, after a role and assignments made through the pages'
    /// use cases.
    func seeded() async throws -> (TestPortal, Role) {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Payroll, \"EU\"")
        try await portal.assign(role, [.user("alice")])
        try await portal.assign(role, [.user("bob")], .active)
        _ = try await portal.environment.store.pool.write { [now = portal.clock.now()] db in
            try AuditLog.append(AuditEventDraft(time: now, actor: "bob", action: "note", target: "bob",
                                                justification: "=1+1", details: "hostile"), in: db)
        }
        return (portal, role)
    }

    /// The download's bytes (the in-process pipeline collects a streamed body; that it really
    /// streams is checked through the server in AuditDownloadServerTests).
    func body(_ response: PortalResponse) -> (chunks: Int, bytes: [UInt8]) { (1, response.body) }

    @Test func auditIsForAdministratorsAndReadersAndMyAuditForEveryone() async throws {
        let (portal, _) = try await seeded()
        for kind in TestPortal.Kind.allCases {
            var browser = try portal.signIn(kind)
            let audit = await browser.get("/audit")
            #expect(audit.status == (kind == .plain ? .forbidden : .ok), "\(kind)")
            #expect(await browser.get("/audit.csv").status == (kind == .plain ? .forbidden : .ok))
            let mine = await browser.get("/my-audit")
            #expect(mine.status == .ok)
            #expect(mine.postFormCount == 0)
        }
    }

    @Test func myAuditShowsOnlyEventsWhereIAmActorOrMember() async throws {
        let (portal, _) = try await seeded()
        var alice = try portal.signIn(.plain)
        let page = await alice.get("/my-audit?range=all")
        #expect(page.bodyText.contains("assignmentAdded"))
        #expect(page.bodyText.contains("data-label=\"Member\">alice<"))
        #expect(!page.bodyText.contains("data-label=\"Member\">bob<"))
        #expect(!page.bodyText.contains("data-label=\"Action\">roleCreated"))
    }

    @Test func aRefusedActivationShowsAsAFailureOnBothAuditPages() async throws {
        let (portal, role) = try await seeded()
        // The portal offers carol no role to activate; PIMCore refuses the use case itself.
        await #expect(throws: PIMError.notEligible(role: role.name)) {
            _ = try await portal.environment.service.activate(
                roleIDs: [role.id], form: ActivationForm(durationMinutes: 60, justification: "Let me in"),
                by: ActorContext(username: "carol", sourceAddress: "192.0.2.9"))
        }
        var carol = try portal.signIn("carol")
        let mine = await carol.get("/my-audit?range=all").bodyText
        #expect(mine.contains("data-label=\"Action\">roleActivated") && mine.contains(">failure<"))
        var admin = try portal.signIn(.admin)
        let audit = await admin.get("/audit?range=all&user=carol&action=roleActivated").bodyText
        #expect(audit.contains("badge-danger\">failure<") && audit.contains("Let me in") && audit.contains("192.0.2.9"))
    }

    @Test func filtersNarrowTheEvents() async throws {
        let (portal, role) = try await seeded()
        var admin = try portal.signIn(.admin)
        let byAction = await admin.get("/audit?range=all&action=roleCreated")
        #expect(byAction.bodyText.contains("data-label=\"Action\">roleCreated"))
        #expect(!byAction.bodyText.contains("data-label=\"Action\">assignmentAdded"))
        let byUser = await admin.get("/audit?range=all&user=bob")
        #expect(byUser.bodyText.contains("data-label=\"Member\">bob<"))
        #expect(!byUser.bodyText.contains("data-label=\"Member\">alice<"))
        let byRole = await admin.get("/audit?range=all&role=\(role.id)")
        #expect(byRole.bodyText.contains("data-label=\"Action\">assignmentAdded"))
        #expect(!byRole.bodyText.contains("data-label=\"Action\">note"))
        let future = await admin.get("/audit?range=custom&from=2099-01-01")
        #expect(future.bodyText.contains("No events match these filters."))
        let bad = await admin.get("/audit?range=custom&from=01/02/2027")
        #expect(bad.bodyText.contains("Enter the start date as YYYY-MM-DD."))
        #expect(bad.bodyText.contains("aria-invalid=\"true\""))
    }

    @Test func pagingWalksOlderEventsByKey() async throws {
        let portal = try await TestPortal.make()
        try await portal.environment.store.pool.write { [now = portal.clock.now()] db in
            for index in 0..<(AuditPage.pageSize + 5) {
                try AuditLog.append(AuditEventDraft(time: now, actor: "alice", action: "note", details: "n\(index)"), in: db)
            }
        }
        var admin = try portal.signIn(.admin)
        let first = await admin.get("/audit?range=all")
        #expect(first.bodyText.contains("Older events"))
        #expect(first.bodyText.contains("n\(AuditPage.pageSize + 4)<"))
        #expect(!first.bodyText.contains("n4<"))
        // Follow the page's own "Older events" link (keyset: before the last seq shown).
        let link = try #require(first.bodyText.components(separatedBy: "<a href=\"").last?.components(separatedBy: "\"").first)
        #expect(link.hasPrefix("/audit?range=all&amp;before="))
        let older = await admin.get(link.replacingOccurrences(of: "&amp;", with: "&"))
        #expect(older.bodyText.contains("n4<"))
        #expect(older.bodyText.contains("Newest events"))
        #expect(!older.bodyText.contains("n5<"))
    }

    @Test func csvDownloadIsStreamedWithBOMQuotingNeutralisationAndFilters() async throws {
        let (portal, role) = try await seeded()
        var admin = try portal.signIn(.admin)
        let response = await admin.get("/audit.csv?range=all")
        #expect(response.status == .ok)
        #expect(response.header("Content-Type") == "text/csv; charset=utf-8; header=present")
        #expect(response.header("Content-Disposition")?.hasPrefix("attachment; filename=\"audit-") == true)
        let (_, bytes) = body(response)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("seq,time,actor,action,"))
        #expect(text.contains("\"Payroll, \"\"EU\"\"\""))
        #expect(text.contains(",'=1+1,"))
        let filtered = body(await admin.get("/audit.csv?range=all&role=\(role.id)&action=assignmentAdded"))
        let lines = String(decoding: filtered.bytes, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 3)
        var alice = try portal.signIn(.plain)
        let mine = body(await alice.get("/my-audit.csv?range=all"))
        let mineText = String(decoding: mine.bytes, as: UTF8.self)
        #expect(mineText.contains(",alice,"))
        #expect(!mineText.contains(",bob,"))
    }

    @Test func actionFilterOffersEachRecordedActionOnceInOrder() async throws {
        let (portal, _) = try await seeded()
        let actions = try await portal.environment.store.pool.read { try AuditPage.recordedActions(in: $0) }
        let all = try await portal.environment.store.pool.read {
            try String.fetchAll($0, sql: "SELECT DISTINCT action FROM audit_event ORDER BY action")
        }
        #expect(actions == all)
        #expect(actions.contains("note") && actions.contains("roleCreated"))
    }
}
