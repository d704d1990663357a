import Foundation
import PIMCore
import Testing
@testable import PIMWeb

struct AssignWizardTests {
    @Test func membershipStepFindsUsersAndGroupsByNameAndKeepsTheChosenOnes() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Mail admin")
        var admin = try portal.signIn(.admin)
        let page = await admin.get("/roles/\(role.id)/assign?member=user:alice&q=se")
        #expect(page.status == .ok)
        let text = page.bodyText
        #expect(text.contains("class=\"wizard-steps\""))
        #expect(text.contains("value=\"group:secops\""))
        #expect(text.contains("value=\"user:alice\" checked"))
        #expect(text.contains("Alice Andersen (alice)"))
        #expect(text.contains("formaction=\"/roles/\(role.id)/assign/setting\""))
    }

    @Test func nextWithoutMembersStaysOnMembershipWithTheMessage() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Mail admin")
        var admin = try portal.signIn(.admin)
        let page = await admin.get("/roles/\(role.id)/assign/setting")
        #expect(page.status == .unprocessableContent)
        #expect(page.bodyText.contains("There is a problem"))
        #expect(page.bodyText.contains("Choose at least one member."))
    }

    @Test func settingStepCarriesTheMembersAsHiddenFields() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Mail admin")
        var admin = try portal.signIn(.admin)
        let page = await admin.get("/roles/\(role.id)/assign/setting?role=\(role.id)&member=user:alice&member=group:secops")
        #expect(page.status == .ok)
        #expect(page.bodyText.contains("<input type=\"hidden\" name=\"member\" value=\"user:alice\">"))
        #expect(page.bodyText.contains("<input type=\"hidden\" name=\"member\" value=\"group:secops\">"))
        #expect(page.bodyText.contains("step-current"))
        #expect(!page.bodyText.contains("name=\"code\""))
    }

    @Test func assignMakesOneAssignmentPerMemberAndRedirectsWithAFlash() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Mail admin")
        var admin = try portal.signIn(.admin)
        let now = portal.clock.now()
        let response = try await admin.post("/roles/\(role.id)/assign", [
            ("role", String(role.id)), ("member", "user:alice"), ("member", "group:secops"), ("member", "user:bob"),
            ("type", "eligible"), ("duration", "bounded"), ("start", portal.inputTime(now)),
            ("end", portal.inputTime(now + 10 * 86_400)), ("justification", "project X"),
        ])
        #expect(response.status == .seeOther)
        #expect(response.location == "/roles/\(role.id)?tab=eligible")
        let page = await admin.get("/roles/\(role.id)?tab=eligible")
        #expect(page.bodyText.contains("Assigned 3 members as eligible for Mail admin."))
        #expect(page.bodyText.contains(">Group: secops"))
        #expect(page.bodyText.contains(">alice"))
        #expect(page.bodyText.contains(">bob"))
    }

    @Test func invalidSettingIsShownAtItsFieldWithTheValuesKept() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Mail admin")
        var admin = try portal.signIn(.admin)
        let now = portal.clock.now()
        let response = try await admin.post("/roles/\(role.id)/assign", [
            ("member", "user:alice"), ("type", "eligible"), ("duration", "bounded"),
            ("start", portal.inputTime(now + 86_400)), ("end", portal.inputTime(now)), ("justification", "keep <me>"),
        ])
        #expect(response.status == .unprocessableContent)
        let text = response.bodyText
        #expect(text.contains("There is a problem"))
        #expect(text.contains("<p class=\"field-error\" id=\"end-error\">The end is before the start.</p>"))
        #expect(text.contains("keep &lt;me&gt;</textarea>"))
        #expect(text.contains("value=\"user:alice\""))
        let unreadable = try await admin.post("/roles/\(role.id)/assign", [
            ("member", "user:alice"), ("type", "sometimes"), ("duration", "bounded"), ("end", "soon"),
        ])
        #expect(unreadable.bodyText.contains("Choose eligible or active."))
        #expect(unreadable.bodyText.contains("Enter the end as a date and time."))
    }

    @Test func unknownMemberAndRefusalsAreShownAsTheirSentence() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Mail admin")
        var admin = try portal.signIn(.admin)
        let response = try await admin.post("/roles/\(role.id)/assign", [
            ("member", "user:nobody"), ("type", "active"), ("duration", "permanent"), ("justification", "x"),
        ])
        #expect(response.status == .unprocessableContent)
        // Active assignments of a default role may not be permanent.
        #expect(response.bodyText.contains("does not allow permanent active assignments"))
    }

    @Test func roleRequiringMFAOnActiveAssignmentAsksTheAdministratorForACode() async throws {
        let portal = try await TestPortal.make()
        var settings = RoleSettings.defaults
        settings.assignment.requireMFAOnActive = true
        let role = try await portal.customRole("Root on db-*", settings: settings)
        var admin = try portal.signIn(.admin)
        let step = await admin.get("/roles/\(role.id)/assign/setting?member=user:alice")
        #expect(step.bodyText.contains("name=\"code\""))
        let now = portal.clock.now()
        let response = try await admin.post("/roles/\(role.id)/assign", [
            ("member", "user:alice"), ("type", "active"), ("duration", "bounded"),
            ("end", portal.inputTime(now + 86_400)), ("justification", "incident"), ("code", "123456"),
        ])
        #expect(response.status == .unprocessableContent)
        #expect(response.bodyText.contains("id=\"code-error\">Set up your authenticator app first.</p>"))
        let count = try await portal.environment.store.pool.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM assignment WHERE role_id = ?", arguments: [role.id])
        }
        #expect(count == 0)
    }

    @Test func administratorsCodeProvesMFAForAnActiveAssignmentOnceAndIsNotReplayable() async throws {
        let portal = try await TestPortal.make()
        var settings = RoleSettings.defaults
        settings.assignment.requireMFAOnActive = true
        let role = try await portal.customRole("Root on db-*", settings: settings)
        let app = try portal.enrolTOTP("admin")
        var admin = try portal.signIn(.admin)
        let now = portal.clock.now()
        let code = try app.code(at: now)
        func assign(_ member: String, _ code: String) async throws -> PortalResponse {
            try await admin.post("/roles/\(role.id)/assign", [
                ("member", member), ("type", "active"), ("duration", "bounded"),
                ("end", portal.inputTime(now + 86_400)), ("justification", "incident 42"), ("code", code),
            ])
        }
        let first = try await assign("user:alice", code)
        #expect(first.status == .seeOther)
        #expect(first.location == "/roles/\(role.id)?tab=active")
        let replayed = try await assign("user:bob", code)
        #expect(replayed.status == .unprocessableContent)
        #expect(replayed.bodyText.contains("That code was already used."))
        let active = await admin.get("/roles/\(role.id)?tab=active")
        #expect(active.bodyText.contains(">alice"))
        #expect(!active.bodyText.contains(">bob"))
    }
}
