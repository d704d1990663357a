import Foundation
import PIMCore
import Testing
@testable import PIMWeb

struct ManagePagesTests {
    @Test func readPagesRenderForAdministratorAndReaderAndAnswer403ToOthers() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Database Administrator")
        try await portal.assign(role, [.user("alice"), .group("dba")])
        let paths = ["/roles", "/roles?q=data", "/roles/\(role.id)", "/roles/\(role.id)?tab=active",
                     "/roles/\(role.id)?tab=expired", "/roles/\(role.id)/settings", "/settings"]
        for kind in TestPortal.Kind.allCases {
            var browser = try portal.signIn(kind)
            for path in paths {
                let response = await browser.get(path)
                #expect(response.status == (kind == .plain ? .forbidden : .ok), "\(kind) \(path)")
                #expect(response.header("Cache-Control") == "no-store")
            }
        }
    }

    @Test func changePagesAreForAdministratorsOnly() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Web operator")
        let paths = ["/roles/new", "/roles/\(role.id)/assign", "/roles/\(role.id)/assign/setting?member=user:bob",
                     "/roles/\(role.id)/settings/edit", "/roles/\(role.id)/settings/edit?tab=notification"]
        for kind in TestPortal.Kind.allCases {
            var browser = try portal.signIn(kind)
            for path in paths {
                let response = await browser.get(path)
                #expect(response.status == (kind == .admin ? .ok : .forbidden), "\(kind) \(path)")
            }
            for path in ["/roles", "/roles/\(role.id)/delete", "/settings", "/roles/\(role.id)/settings"] {
                let response = try await browser.post(path, [("name", "x")])
                #expect(kind == .admin || response.status == .forbidden, "\(kind) POST \(path)")
            }
        }
    }

    @Test func securityReaderSeesEverythingWithoutAnyForm() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Backup operator")
        try await portal.assign(role, [.user("alice")])
        try await portal.assign(role, [.user("bob")], .active)
        var reader = try portal.signIn(.reader)
        for path in ["/roles", "/roles/\(role.id)", "/roles/\(role.id)?tab=active", "/roles/\(role.id)/settings", "/settings"] {
            let page = await reader.get(path)
            #expect(page.status == .ok)
            #expect(page.postFormCount == 0, "\(path)")
            #expect(!page.bodyText.contains("Add assignments"))
            #expect(!page.bodyText.contains("/settings/edit"))
            #expect(!page.bodyText.contains("<select"), "\(path)")
        }
        let rolePage = await reader.get("/roles/\(role.id)")
        #expect(rolePage.bodyText.contains("alice"))
        var admin = try portal.signIn(.admin)
        let adminPage = await admin.get("/roles/\(role.id)")
        #expect(adminPage.postFormCount > 0)
        #expect(adminPage.bodyText.contains("action=\"/assignments/"))
    }

    @Test func rolesListCountsEligibleActiveAndPermanentActive() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Network <admin> & \"ops\"")
        try await portal.assign(role, [.user("alice"), .user("bob"), .group("secops")])
        try await portal.assign(role, [.user("alice")], .active)
        var admin = try portal.signIn(.admin)
        let page = await admin.get("/roles")
        let text = page.bodyText
        #expect(text.contains("Network &lt;admin&gt; &amp; &quot;ops&quot;"))
        let row = try #require(text.components(separatedBy: "<tr>").first { $0.contains("/roles/\(role.id)\"") })
        #expect(row.contains("data-label=\"Eligible\">3<"))
        #expect(row.contains("data-label=\"Active\">1<"))
        #expect(row.contains("data-label=\"Permanent active\">0<"))
        let adminRow = try #require(text.components(separatedBy: "<tr>").first { $0.contains(">PIM Administrator<") })
        #expect(adminRow.contains("data-label=\"Permanent active\">1<"))
        let search = await admin.get("/roles?q=network")
        #expect(search.bodyText.contains("Network"))
        #expect(!search.bodyText.contains(">Security Reader<"))
    }

    @Test func roleTabsSeparateEligibleActiveAndExpired() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Storage")
        try await portal.assign(role, [.user("alice")], days: 1)
        try await portal.assign(role, [.user("bob")], .active, days: 2)
        portal.clock.advance(by: 86_400 + 60)
        var admin = try portal.signIn(.admin)
        let eligible = await admin.get("/roles/\(role.id)")
        #expect(!eligible.bodyText.contains(">alice"))
        let active = await admin.get("/roles/\(role.id)?tab=active")
        #expect(active.bodyText.contains(">bob"))
        #expect(active.bodyText.contains("/assignments/") && active.bodyText.contains("/remove\""))
        let expired = await admin.get("/roles/\(role.id)?tab=expired")
        #expect(expired.bodyText.contains(">alice"))
        #expect(expired.bodyText.contains("/renew\""))
    }

    @Test func unknownRoleIs404() async throws {
        let portal = try await TestPortal.make()
        var admin = try portal.signIn(.admin)
        #expect(await admin.get("/roles/999").status == .notFound)
        #expect(await admin.get("/roles/abc/settings").status == .notFound)
    }
}
