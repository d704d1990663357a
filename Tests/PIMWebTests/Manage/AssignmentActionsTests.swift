import Foundation
import PIMCore
import Testing
@testable import PIMWeb

struct AssignmentActionsTests {
    @Test func removingTheLastAdministratorIsRefusedWithPIMCoresSentence() async throws {
        let portal = try await TestPortal.make()
        let adminRole = try await portal.roleID(builtIn: .pimAdministrator)
        let id = try await portal.environment.store.pool.read {
            try Int64.fetchOne($0, sql: "SELECT id FROM assignment WHERE role_id = ? AND principal_name = 'admin'", arguments: [adminRole])
        }
        var admin = try portal.signIn(.admin)
        let assignmentID = try #require(id)
        let response = try await admin.post("/assignments/\(assignmentID)/remove")
        #expect(response.status == .unprocessableContent)
        // At the top and next to the row's button.
        #expect(response.bodyText.contains("<li>\(PIMError.lastAdministrator.message)</li>"))
        #expect(response.bodyText.contains("id=\"a\(assignmentID)-remove-error\">\(PIMError.lastAdministrator.message)</p>"))
        #expect(try await portal.environment.store.pool.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM assignment WHERE id = ? AND ended_reason IS NULL", arguments: [assignmentID])
        } == 1)
    }

    @Test func updateExtendRemoveAndRenewRedirectToTheRoleWithAFlash() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Printer admin")
        let made = try await portal.assign(role, [.user("alice")], days: 10)
        let id = try #require(made.first?.id)
        var admin = try portal.signIn(.admin)
        let now = portal.clock.now()

        let extend = try await admin.post("/assignments/\(id)/extend", [("end", portal.inputTime(now + 20 * 86_400))])
        #expect(extend.status == .seeOther)
        #expect(extend.location == "/roles/\(role.id)?tab=eligible")
        #expect(await admin.get("/roles/\(role.id)").bodyText.contains("Assignment extended until"))

        let update = try await admin.post("/assignments/\(id)/update", [
            ("start", portal.inputTime(now)), ("end", portal.inputTime(now + 5 * 86_400)), ("justification", "shorter"),
        ])
        #expect(update.status == .seeOther)

        let badUpdate = try await admin.post("/assignments/\(id)/update", [
            ("start", portal.inputTime(now)), ("end", "not a date"), ("justification", "kept text"),
        ])
        #expect(badUpdate.status == .unprocessableContent)
        #expect(badUpdate.bodyText.contains("Enter the end as a date and time."))
        #expect(badUpdate.bodyText.contains("kept text</textarea>"))

        let remove = try await admin.post("/assignments/\(id)/remove")
        #expect(remove.status == .seeOther)
        #expect(remove.location == "/roles/\(role.id)?tab=expired")

        let renewable = try await portal.assign(role, [.user("bob")], days: 1)
        portal.clock.advance(by: 2 * 86_400)
        admin = try portal.signIn(.admin)
        let renew = try await admin.post("/assignments/\(try #require(renewable.first?.id))/renew", [
            ("end", portal.inputTime(portal.clock.now() + 30 * 86_400)), ("justification", "again"),
        ])
        #expect(renew.status == .seeOther)
        #expect(await admin.get("/roles/\(role.id)").bodyText.contains("Assignment renewed until"))
    }

    @Test func revokeEndsAnActiveAssignmentNow() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Printer admin")
        let made = try await portal.assign(role, [.user("bob")], .active, days: 1)
        var admin = try portal.signIn(.admin)
        let response = try await admin.post("/assignments/\(try #require(made.first?.id))/revoke")
        #expect(response.status == .seeOther)
        let active = await admin.get("/roles/\(role.id)?tab=active")
        #expect(!active.bodyText.contains(">bob"))
    }

    @Test func anActivationOffersRevokeAndRevokingEndsItNow() async throws {
        let portal = try await TestPortal.make()
        var settings = RoleSettings.defaults
        settings.activation.requireMFA = false
        let role = try await portal.customRole("Web operator", settings: settings)
        try await portal.assign(role, [.user("alice")])
        _ = try await portal.service.activate(
            roleIDs: [role.id], form: ActivationForm(durationMinutes: 60, justification: "deploy"),
            by: ActorContext(username: "alice", sourceAddress: "127.0.0.1"))
        var admin = try portal.signIn(.admin)
        let active = await admin.get("/roles/\(role.id)?tab=active")
        #expect(active.bodyText.contains(">Activated<"))
        let revokeAction = try #require(active.bodyText.components(separatedBy: "action=\"/assignments/")
            .dropFirst().first { $0.drop { $0.isNumber }.hasPrefix("/revoke\"") })
        let id = String(revokeAction.prefix { $0.isNumber })
        #expect(!active.bodyText.contains("/assignments/\(id)/update\""))
        let response = try await admin.post("/assignments/\(id)/revoke")
        #expect(response.status == .seeOther)
        #expect(response.location == "/roles/\(role.id)?tab=expired")
        #expect(await admin.get("/roles/\(role.id)?tab=active").bodyText.contains("No active assignments."))
    }
}
