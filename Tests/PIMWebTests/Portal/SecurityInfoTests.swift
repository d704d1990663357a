import Foundation
import PIMCore
import Testing
@testable import PIMWeb

struct SecurityInfoTests {
    @Test func enrolmentShowsQRAndGroupedSecretThenConfirmsWithACode() async throws {
        let portal = try await TestPortal.make()
        var alice = try portal.signIn(.plain)
        let start = await alice.get("/security-info")
        #expect(start.bodyText.contains("Set up authenticator app"))
        let scan = try await alice.post("/security-info/start")
        #expect(scan.status == .ok)
        #expect(scan.header("Cache-Control") == "no-store")
        let secret = try #require(shownSecret(in: scan.bodyText))
        #expect(secret.split(separator: " ").allSatisfy { $0.count == 4 })
        #expect(scan.bodyText.contains("<svg"))
        // Leaving and coming back shows the confirm form without the secret again.
        let pending = await alice.get("/security-info")
        #expect(pending.bodyText.contains("You started setting up"))
        #expect(shownSecret(in: pending.bodyText) == nil)
        let wrong = try await alice.post("/security-info/confirm", [("code", "123456")])
        #expect(wrong.location == "/security-info")
        #expect(await alice.get("/security-info").bodyText.contains("That code is not right."))
        let app = try #require(TestAuthenticator(shownSecret: secret))
        let confirmed = try await alice.post("/security-info/confirm", [("code", try app.code(at: portal.clock.now()))])
        #expect(confirmed.location == "/security-info")
        let enrolled = await alice.get("/security-info")
        #expect(enrolled.bodyText.contains("Your authenticator app is set up."))
        #expect(enrolled.bodyText.contains("Remove app"))
        let profile = try await portal.environment.store.pool.read { try UserProfiles.fetch("alice", in: $0) }
        #expect(profile?.mfaEnrolled == true)
    }

    @Test func removalNeedsAFreshValidCode() async throws {
        let portal = try await TestPortal.make()
        let app = try portal.enrolTOTP("alice")
        var alice = try portal.signIn(.plain)
        _ = try await alice.post("/security-info/remove", [("code", "000000")])
        #expect(await alice.get("/security-info").bodyText.contains("That code is not right."))
        let removed = try await alice.post("/security-info/remove", [("code", try app.code(at: portal.clock.now()))])
        #expect(removed.location == "/security-info")
        let page = await alice.get("/security-info")
        #expect(page.bodyText.contains("Your authenticator app was removed."))
        #expect(page.bodyText.contains("Set up authenticator app"))
    }

    @Test func returnToOutsideTheSiteIsIgnored() async throws {
        let portal = try await TestPortal.make()
        var alice = try portal.signIn(.plain)
        let page = await alice.get("/security-info?return_to=https%3A%2F%2Fevil.example%2F")
        #expect(!page.bodyText.contains("evil.example"))
        #expect(!page.bodyText.contains("takes you back to your activation"))
    }

    @Test func customStartInThePastOrMalformedIsRefusedAtTheField() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Later", eligible: [.user("alice")]) { $0.activation.requireMFA = false }
        var alice = try portal.signIn(.plain)
        let past = try await alice.post("/my-roles/activate", [
            ("role", "\(role)"), ("duration", "60"), ("justification", "x"), ("start", "2020-01-01T10:00")])
        #expect(past.bodyText.contains("The start time is in the past."))
        #expect(past.bodyText.contains("value=\"2020-01-01T10:00\""))
        let garbage = try await alice.post("/my-roles/activate", [
            ("role", "\(role)"), ("duration", "60"), ("justification", "x"), ("start", "tomorrow")])
        #expect(garbage.bodyText.contains("Enter the start as a date and time"))
        let later = TimeText(timeZone: portal.environment.configuration.timeZone).inputValue(portal.clock.now() + 7200)
        let scheduled = try await alice.post("/my-roles/activate", [
            ("role", "\(role)"), ("duration", "60"), ("justification", "x"), ("start", later)])
        #expect(scheduled.location == "/my-roles?tab=active")
        let active = try #require(try await portal.environment.queries.myRoles(username: "alice").active.first)
        #expect(active.assignment.start == portal.clock.now() + 7200)
        #expect(await alice.get("/my-roles?tab=active").bodyText.contains("Scheduled"))
    }
}
