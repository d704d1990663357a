import Foundation
import PIMCore
import Testing
@testable import PIMWeb

struct RoleSettingsEditTests {
    /// The whole form as the edit page posts it for `settings`, with `changes` applied.
    func fields(_ settings: RoleSettings, _ changes: [String: String] = [:], go: String = "update", tab: String = "activation") -> [(String, String)] {
        var values = RoleSettingsForm(settings: settings).values
        for (name, value) in changes { values[name] = value }
        var pairs: [(String, String)] = [("tab", tab), ("go", go)]
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            if RoleSettingsForm.isBoolean(name) {
                if value == "true" { pairs.append((name, "true")) }
            } else {
                pairs.append((name, value))
            }
        }
        return pairs
    }

    @Test func readViewAndEveryEditTabRender() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("DNS admin")
        var admin = try portal.signIn(.admin)
        let view = await admin.get("/roles/\(role.id)/settings")
        #expect(view.bodyText.contains("Activation maximum duration"))
        #expect(view.bodyText.contains("Request to approve an activation"))
        let activation = await admin.get("/roles/\(role.id)/settings/edit")
        #expect(activation.bodyText.contains("<option value=\"480\" selected>8 h</option>"))
        #expect(activation.bodyText.contains("name=\"freshness\" value=\"every\" checked"))
        let assignment = await admin.get("/roles/\(role.id)/settings/edit?tab=assignment")
        #expect(assignment.bodyText.contains("<option value=\"months6\" selected>Expire after 6 months</option>"))
        let notification = await admin.get("/roles/\(role.id)/settings/edit?tab=notification")
        // 3 sections × 3 rows, each with default, additional and critical.
        #expect(notification.bodyText.components(separatedBy: "_additional\" value=").count - 1 == 9)
        #expect(notification.bodyText.contains("name=\"maxMinutes\" value=\"480\""))
    }

    @Test func validUpdateIsSavedAndRedirects() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("DNS admin")
        var admin = try portal.signIn(.admin)
        let response = try await admin.post("/roles/\(role.id)/settings", fields(.defaults, [
            "maxMinutes": "60", "requireApproval": "true", "approverGroups": "secops", "timeoutHours": "4",
            "pattern": "INC[0-9]{6}", "patternMessage": "Give the incident number.", "eligibleExpiry": "year1",
            "n_activation_admins_additional": "pim-alerts@example.org; soc@example.org",
            "n_activation_assignee_default": "false", "freshness": "within", "freshnessMinutes": "10",
        ]))
        #expect(response.status == .seeOther)
        #expect(response.location == "/roles/\(role.id)/settings")
        let saved = try #require(try await portal.storedRole(role.id)).settings
        #expect(saved.activation.maximumDurationMinutes == 60)
        #expect(saved.activation.requireApproval)
        #expect(saved.activation.approverGroups == ["secops"])
        #expect(saved.activation.mfaFreshness == .withinMinutes(10))
        #expect(saved.activation.justificationPattern == "INC[0-9]{6}")
        #expect(saved.assignment.eligibleExpiry == .year1)
        #expect(saved.notification.activation.admins.additionalRecipients == ["pim-alerts@example.org", "soc@example.org"])
        #expect(!saved.notification.activation.assignee.defaultRecipients)
        #expect(saved.notification.eligibleAssigned.assignee.defaultRecipients)
        let view = await admin.get("/roles/\(role.id)/settings")
        #expect(view.bodyText.contains("Settings of DNS admin updated."))
        #expect(view.bodyText.contains("pim-alerts@example.org; soc@example.org"))
    }

    @Test func outOfRangeValuesBadPatternAndBadAddressesAreShownAtTheirFieldsWithValuesKept() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("DNS admin")
        var admin = try portal.signIn(.admin)
        let response = try await admin.post("/roles/\(role.id)/settings", fields(.defaults, [
            "maxMinutes": "1500", "timeoutHours": "99", "pattern": "INC[0-9", "patternMessage": "x",
            "n_eligibleAssigned_approvers_additional": "ops@example.org, not-an-address",
        ]))
        #expect(response.status == .unprocessableContent)
        let text = response.bodyText
        #expect(text.contains("There is a problem"))
        #expect(text.contains("id=\"maxMinutes-error\">Choose a maximum duration between 30 minutes and 24 hours"))
        #expect(text.contains("id=\"timeoutHours-error\">Enter an approval timeout between 1 and 72 hours.</p>"))
        #expect(text.contains("id=\"pattern-error\">This is not a valid regular expression.</p>"))
        #expect(text.contains("value=\"INC[0-9\""))
        #expect(text.contains("value=\"99\""))
        // The address error is on another tab: listed at the top, its value carried as a hidden field.
        #expect(text.contains("Not an email address: not-an-address."))
        #expect(text.contains("name=\"n_eligibleAssigned_approvers_additional\" value=\"ops@example.org, not-an-address\""))
        let saved = try #require(try await portal.storedRole(role.id)).settings
        #expect(saved == .defaults)
    }

    @Test func switchingTabsKeepsWhatWasTypedWithoutSaving() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("DNS admin")
        var admin = try portal.signIn(.admin)
        let response = try await admin.post("/roles/\(role.id)/settings", fields(.defaults, [
            "maxMinutes": "90", "requireTicket": "true", "requireJustification": "false",
        ], go: "notification"))
        #expect(response.status == .ok)
        let text = response.bodyText
        #expect(text.contains("name=\"tab\" value=\"notification\""))
        #expect(text.contains("<input type=\"hidden\" name=\"maxMinutes\" value=\"90\">"))
        #expect(text.contains("<input type=\"hidden\" name=\"requireTicket\" value=\"true\">"))
        #expect(!text.contains("name=\"requireJustification\" value=\"true\""))
        #expect(try #require(try await portal.storedRole(role.id)).settings == .defaults)
    }

    @Test func unknownApproversAreRefusedAtTheirField() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("DNS admin")
        var admin = try portal.signIn(.admin)
        let response = try await admin.post("/roles/\(role.id)/settings", fields(.defaults, [
            "requireApproval": "true", "approverUsers": "bob, ghost", "approverGroups": "nogroup",
        ]))
        #expect(response.status == .unprocessableContent)
        #expect(response.bodyText.contains("No user named ghost."))
        #expect(response.bodyText.contains("No group named nogroup."))
    }
}
