import Foundation
import PIMCore
import Testing
@testable import PIMWeb

/// Issue 6's seed scenario and its side paths, clicked through the pages in-process.
struct PortalScenarioTests {
    /// Alice is eligible for Global Administrator (1 h, approval by secops, alerts to a list);
    /// she activates with a justification and her code; Bob approves; her role ends one hour
    /// after approval; the audit has every step.
    @Test func seedScenarioThroughThePages() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Global Administrator", eligible: [.user("alice")]) {
            $0.activation.maximumDurationMinutes = 60
            $0.activation.requireApproval = true
            $0.activation.approverGroups = ["secops"]
            $0.notification.activation.admins.additionalRecipients = ["pim-alerts@example.org"]
        }
        let app = try portal.enrolTOTP("alice")
        var alice = try portal.signIn(.plain)
        let form = await alice.get("/my-roles/activate?role=\(role)")
        #expect(form.bodyText.contains("<option value=\"60\" selected>1 h</option>"))
        #expect(!form.bodyText.contains("value=\"90\""))
        let requested = try await alice.post("/my-roles/activate", [
            ("role", "\(role)"), ("duration", "60"), ("justification", "Incident 4711"),
            ("code", try app.code(at: portal.clock.now()))])
        #expect(requested.location == "/my-requests")

        portal.clock.advance(by: 10 * 60)
        var bob = try portal.signIn("bob")
        let id = try #require(try await portal.environment.queries.pendingApprovals(for: "bob").first?.request.id)
        let approved = try await bob.post("/approvals/decide", [
            ("request", "\(id)"), ("decision", "approve"), ("justification", "Confirmed with the on-call lead")])
        #expect(approved.location == "/approvals")
        let approvedAt = portal.clock.now()

        let active = try #require(try await portal.environment.queries.myRoles(username: "alice").active.first)
        #expect(active.assignment.start == approvedAt)
        #expect(active.assignment.end == approvedAt + 3600)
        let page = await alice.get("/my-roles?tab=active")
        #expect(page.bodyText.contains("09:10"))
        #expect(page.bodyText.contains("ends in 1 h"))

        let actions = try await portal.environment.store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT action FROM audit_event WHERE request_id = ? ORDER BY seq", arguments: [id])
        }
        #expect(actions.count >= 3, "\(actions)")
        let outbox = try await portal.environment.store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT recipient FROM outbox")
        }
        #expect(outbox.contains("pim-alerts@example.org"))
    }

    @Test func unansweredRequestTimesOutAndShowsSo() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Slow", eligible: [.user("alice")]) {
            $0.activation.requireMFA = false
            $0.activation.requireApproval = true
            $0.activation.approvalTimeoutHours = 1
        }
        var alice = try portal.signIn(.plain)
        _ = try await alice.post("/my-roles/activate", [("role", "\(role)"), ("duration", "60"), ("justification", "x")])
        portal.clock.advance(by: 3601)
        _ = try await portal.service.runDueWork()
        alice = try portal.signIn(.plain)
        let page = await alice.get("/my-requests")
        #expect(page.bodyText.contains("Timed out"))
        #expect(!page.bodyText.contains(">Cancel<"))
    }

    @Test func expiredEligibilityRefusesActivationAndOffersRenewal() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Short") { $0.activation.requireMFA = false }
        _ = try await portal.service.assign(roleID: role, members: [.user("alice")], type: .eligible,
                                            end: portal.clock.now() + 3600, justification: "one hour", by: portal.adminActor)
        portal.clock.advance(by: 2 * 3600)
        var alice = try portal.signIn(.plain)
        let refused = try await alice.post("/my-roles/activate", [("role", "\(role)"), ("duration", "60"), ("justification", "x")])
        #expect(refused.status == .unprocessableContent)
        #expect(refused.bodyText.contains("You are not eligible for Short."))
        let expired = await alice.get("/my-roles?tab=expired")
        #expect(expired.bodyText.contains("Request renewal"))
        let assignment = try #require(try await portal.environment.queries.myRoles(username: "alice").expired.first)
        let renewal = try await alice.post("/my-roles/renew", [("assignment", "\(assignment.assignment.id)"), ("justification", "Still on the project")])
        #expect(renewal.location == "/my-requests")
        let mine = await alice.get("/my-requests")
        #expect(mine.bodyText.contains("Renewal of Short requested"))
        #expect(mine.bodyText.contains("Renew"))
    }

    @Test func expiringEligibilityCanAskForAnExtension() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Ending") { $0.activation.requireMFA = false }
        _ = try await portal.service.assign(roleID: role, members: [.user("alice")], type: .eligible,
                                            end: portal.clock.now() + 3 * 86400, justification: "three days", by: portal.adminActor)
        var alice = try portal.signIn(.plain)
        let eligible = await alice.get("/my-roles")
        #expect(eligible.bodyText.contains("Request extension"))
        let id = try #require(try await portal.environment.queries.myRoles(username: "alice").eligible.first?.assignment.id)
        let missing = try await alice.post("/my-roles/extend", [("assignment", "\(id)"), ("justification", "")],
                                           headers: [("Referer", "http://127.0.0.1:8080/my-roles")])
        #expect(missing.location == "/my-roles")
        #expect(await alice.get("/my-roles").bodyText.contains("A justification is required."))
        let asked = try await alice.post("/my-roles/extend", [("assignment", "\(id)"), ("justification", "Project runs longer")])
        #expect(asked.location == "/my-requests")
    }

    @Test func deactivationAfterTheGracePeriodEndsTheRoleNow() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Temp", eligible: [.user("alice")]) { $0.activation.requireMFA = false }
        var alice = try portal.signIn(.plain)
        _ = try await alice.post("/my-roles/activate", [("role", "\(role)"), ("duration", "60"), ("justification", "x")])
        portal.clock.advance(by: 6 * 60)
        alice = try portal.signIn(.plain)
        let id = try #require(try await portal.environment.queries.myRoles(username: "alice").active.first?.assignment.id)
        let response = try await alice.post("/my-roles/deactivate", [("assignment", "\(id)")])
        #expect(response.location == "/my-roles?tab=active")
        let page = await alice.get("/my-roles?tab=active")
        #expect(page.bodyText.contains("Temp is deactivated."))
        #expect(page.bodyText.contains("No active roles."))
    }
}
