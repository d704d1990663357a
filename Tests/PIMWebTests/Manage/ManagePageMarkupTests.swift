import Foundation
import HTTPTypes
import PIMCore
import Testing
@testable import PIMWeb

/// Every Manage and Activity page in each of its states (data, empty, errors, read-only) answers
/// with its expected status; with PIM_SNAPSHOT_DIR set, the pages are also written there so
/// `scripts/validate-manage-html.sh` can run the Nu validator and a browser can look at them.
struct ManagePageMarkupTests {
    @Test func everyPageStateRendersWithItsStatus() async throws {
        let dir = ProcessInfo.processInfo.environment["PIM_SNAPSHOT_DIR"]
        let portal = try await TestPortal.make()
        var settings = RoleSettings.defaults
        settings.assignment.requireMFAOnActive = true
        let role = try await portal.customRole("Database Administrator", description: "Full rights on the <prod> databases", settings: settings)
        try await portal.assign(role, [.user("alice"), .group("dba")], days: 10)
        try await portal.assign(role, [.user("bob")], .active, days: 2)
        try await portal.assign(role, [.user("reader")], days: 1)
        portal.clock.advance(by: 86_400 + 600)
        var admin = try portal.signIn(.admin)
        let adminRoleID = try await portal.roleID(builtIn: .pimAdministrator)
        let adminAssignment = try await portal.environment.store.pool.read {
            try Int64.fetchOne($0, sql: "SELECT id FROM assignment WHERE role_id = ? AND principal_name = 'admin'", arguments: [adminRoleID])
        }!
        let bobRow = try await portal.environment.store.pool.read {
            try Int64.fetchOne($0, sql: "SELECT id FROM assignment WHERE role_id = ? AND principal_name = 'bob'", arguments: [role.id])
        }!
        var pages: [(String, PortalResponse)] = [
            ("roles", await admin.get("/roles")),
            ("role", await admin.get("/roles/\(role.id)")),
            ("role-active", await admin.get("/roles/\(role.id)?tab=active")),
            ("role-expired", await admin.get("/roles/\(role.id)?tab=expired")),
            ("role-row-error", try await admin.post("/assignments/\(bobRow)/update", [("start", "bad"), ("end", "bad"), ("justification", "x")])),
            ("assign1", await admin.get("/roles/\(role.id)/assign?member=user:alice&q=b")),
            ("assign1-error", await admin.get("/roles/\(role.id)/assign/setting")),
            ("assign2", await admin.get("/roles/\(role.id)/assign/setting?member=user:alice&member=group:secops")),
            ("assign2-error", try await admin.post("/roles/\(role.id)/assign", [("member", "user:alice"), ("type", "active"), ("duration", "bounded"), ("end", "x"), ("justification", "")])),
            ("settings-view", await admin.get("/roles/\(role.id)/settings")),
            ("settings-edit", await admin.get("/roles/\(role.id)/settings/edit")),
            ("settings-edit-assignment", await admin.get("/roles/\(role.id)/settings/edit?tab=assignment")),
            ("settings-edit-notification", await admin.get("/roles/\(role.id)/settings/edit?tab=notification")),
            ("settings-edit-error", try await admin.post("/roles/\(role.id)/settings", [("tab", "activation"), ("go", "update"), ("maxMinutes", "480"), ("pattern", "INC[0-9"), ("timeoutHours", "99"), ("approvalsRequired", "1"), ("eligibleExpiry", "permanent"), ("activeExpiry", "months6"), ("n_activation_admins_additional", "bad address")])),
            ("role-new", await admin.get("/roles/new")),
            ("role-new-error", try await admin.post("/roles", [("name", "")])),
            ("site-settings", await admin.get("/settings")),
            ("site-settings-error", try await admin.post("/settings", [("timeZone", "Nowhere")])),
            ("audit", await admin.get("/audit?range=all")),
            ("audit-error", await admin.get("/audit?range=custom&from=x")),
            ("last-admin", try await admin.post("/assignments/\(adminAssignment)/remove")),
        ]
        var reader = try portal.signIn(.reader)
        pages.append(("reader-role", await reader.get("/roles/\(role.id)")))
        pages.append(("reader-settings", await reader.get("/settings")))
        pages.append(("reader-role-settings", await reader.get("/roles/\(role.id)/settings")))
        var alice = try portal.signIn(.plain)
        pages.append(("my-audit", await alice.get("/my-audit?range=all")))
        for (name, response) in pages {
            // A GET with an unreadable filter still shows the page; refused forms answer 422.
            let expected: HTTPResponse.Status = name.hasSuffix("-error") && name != "audit-error" || name == "last-admin"
                ? .unprocessableContent : .ok
            #expect(response.status == expected, "\(name)")
            #expect(response.header("Content-Type") == "text/html; charset=utf-8", "\(name)")
        }
        guard let dir else { return }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, response) in pages {
            try response.bodyText.write(toFile: "\(dir)/\(name).html", atomically: true, encoding: .utf8)
        }
    }
}
