import Foundation
import GRDB
import HTTPTypes
import PIMAuth
import PIMCore
import Testing
@testable import PIMWeb

/// The request path reads the user once per request (session, groups, roles held now, the page's
/// own rows): what it reads must still be what holds *now*, request by request.
struct PagePathTests {
    @Test func leavingAGroupTakesAwayItsBuiltInRoleOnTheNextRequest() async throws {
        let portal = try await TestPortal.make()
        portal.directory.setGroup(DirectoryGroup(name: "pim-admins", members: ["bob"]))
        let admin = try await portal.roleID(builtIn: .pimAdministrator)
        _ = try await portal.service.assign(
            roleID: admin, members: [.group("pim-admins")], type: .active, end: portal.clock.now() + 86400,
            justification: "Admins by group", by: portal.adminActor)
        var bob = try portal.signIn("bob")
        #expect(await bob.get("/roles").status == .ok)
        let mine = await bob.get("/my-roles?tab=active")
        #expect(mine.bodyText.contains("Group: pim-admins"))

        portal.directory.setGroup(DirectoryGroup(name: "pim-admins", members: []))
        #expect(await bob.get("/roles").status == .forbidden)
        let after = await bob.get("/my-roles?tab=active")
        #expect(!after.bodyText.contains("Group: pim-admins"))
        #expect(!after.bodyText.contains("href=\"/roles\""))
    }

    @Test func joiningAGroupShowsItsEligibleRolesOnTheNextRequest() async throws {
        let portal = try await TestPortal.make()
        portal.directory.setGroup(DirectoryGroup(name: "backup", members: []))
        try await portal.makeRole("Backup Operator", eligible: [.group("backup")])
        var alice = try portal.signIn(.plain)
        #expect(!(await alice.get("/my-roles")).bodyText.contains("Backup Operator"))
        portal.directory.setGroup(DirectoryGroup(name: "backup", members: ["alice"]))
        let page = await alice.get("/my-roles")
        #expect(page.bodyText.contains("Backup Operator"))
        #expect(page.bodyText.contains("Group: backup"))
    }

    @Test func anActiveRoleEndingBetweenRequestsIsGoneOnTheNextOne() async throws {
        let portal = try await TestPortal.make()
        let admin = try await portal.roleID(builtIn: .pimAdministrator)
        _ = try await portal.service.assign(
            roleID: admin, members: [.user("bob")], type: .active, end: portal.clock.now() + 3600,
            justification: "For an hour", by: portal.adminActor)
        var bob = try portal.signIn("bob")
        #expect(await bob.get("/roles").status == .ok)
        portal.clock.advance(by: 3600)
        var again = try portal.signIn("bob")
        #expect(await again.get("/roles").status == .forbidden)
    }

    @Test func activateWithAnUnknownRoleAnswersNotFoundNotAnError() async throws {
        let portal = try await TestPortal.make()
        var alice = try portal.signIn(.plain)
        #expect(await alice.get("/my-roles/activate?role=987654").status == .notFound)
        let response = try await alice.post("/my-roles/activate", [("role", "987654"), ("duration", "60")])
        #expect(response.status == .notFound)
        let none = try await alice.post("/my-roles/activate", [("duration", "60")])
        #expect(none.status == .badRequest)
    }

    @Test func extendingSomeoneElsesActivationAnswersNotFound() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Web Operator", eligible: [.user("alice"), .user("bob")]) {
            $0.activation.requireMFA = false
        }
        var alice = try portal.signIn(.plain)
        #expect(try await alice.post("/my-roles/activate", [("role", "\(role)"), ("duration", "60"), ("justification", "Deploy")]).status == .seeOther)
        let id = try await portal.environment.store.pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM assignment WHERE is_activation = 1 AND principal_name = 'alice'")!
        }
        var bob = try portal.signIn("bob")
        #expect(await bob.get("/my-roles/activate?extend=\(id)").status == .notFound)
        #expect(try await bob.post("/my-roles/extend", [("extend", "\(id)"), ("duration", "60"), ("justification", "Longer")]).status == .notFound)
        #expect(await alice.get("/my-roles/activate?extend=\(id)").status == .ok)
    }

    @Test func flashMessagesWaitAcrossRedirectsAndShowOnceInTheirSessionOnly() async throws {
        let portal = try await TestPortal.make()
        let web = try await portal.makeRole("Web Operator", eligible: [.user("alice")]) { $0.activation.requireMFA = false }
        let mail = try await portal.makeRole("Mail Operator", eligible: [.user("alice")]) { $0.activation.requireMFA = false }
        var alice = try portal.signIn(.plain)
        for role in [web, mail] {
            let posted = try await alice.post("/my-roles/activate", [("role", "\(role)"), ("duration", "60"), ("justification", "Deploy")])
            #expect(posted.status == .seeOther)
            #expect(posted.setCookies.contains { $0.hasPrefix("pim-flash=") })
        }
        // Another session given alice's flash cookie (copied, or planted) sees nothing, and
        // its page clears the cookie.
        var admin = try portal.signIn(.admin)
        let copied: String = try #require(alice.cookies["pim-flash"])
        admin.cookies["pim-flash"] = copied
        #expect(!(await admin.get("/my-roles")).bodyText.contains("activated until"))
        #expect(admin.cookies["pim-flash"] == nil)
        // Both redirects' messages show on alice's next page, once.
        let page = await alice.get("/my-roles?tab=active").bodyText
        #expect(page.contains("Web Operator: activated until") && page.contains("Mail Operator: activated until"))
        #expect(alice.cookies["pim-flash"] == nil)
        #expect(!(await alice.get("/my-roles")).bodyText.contains("activated until"))
    }
}

/// TimeText formats without a DateFormatter per call: its texts must be the ones DateFormatter
/// gives, in whatever zone is configured at the time.
struct TimeTextTests {
    static func reference(_ date: Date, _ pattern: String, _ zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    static let zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham"]

    @Test(arguments: zones)
    func textsMatchDateFormatter(zone: String) throws {
        let tz = try #require(TimeZone(identifier: zone))
        let times = TimeText(timeZone: tz, name: zone)
        var date = Date(timeIntervalSince1970: 1_700_000_000.75)
        for step in 0..<400 {
            #expect(times.clock(date) == Self.reference(date, "HH:mm", tz))
            #expect(times.full(date) == Self.reference(date, "yyyy-MM-dd HH:mm", tz) + " " + zone)
            #expect(times.inputValue(date) == Self.reference(date, "yyyy-MM-dd'T'HH:mm", tz))
            #expect(times.parseInput(times.inputValue(date)).map(times.inputValue) == times.inputValue(date))
            date += Double(step % 7 + 1) * 7_919.3  // hours apart, across DST changes and days
        }
    }

    @Test func shortSaysTheClockOnlyOnTheSameDayOfTheZone() throws {
        let berlin = TimeText(timeZone: try #require(TimeZone(identifier: "Europe/Berlin")))
        let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15 08:00 UTC, 09:00 in Berlin
        #expect(berlin.short(now + 3600, now: now) == "10:00 Europe/Berlin")
        #expect(berlin.short(now + 15 * 3600, now: now) == "2027-01-16 00:00 Europe/Berlin")
        #expect(berlin.short(now - 9 * 3600, now: now) == "00:00 Europe/Berlin")
        #expect(berlin.short(now - 9 * 3600 - 60, now: now) == "2027-01-14 23:59 Europe/Berlin")
    }

    @Test func parsingFollowsTheZoneWhenItChanges() throws {
        let berlin = TimeText(timeZone: try #require(TimeZone(identifier: "Europe/Berlin")))
        let newYork = TimeText(timeZone: try #require(TimeZone(identifier: "America/New_York")))
        let noon = Date(timeIntervalSince1970: 1_783_000_000)
        #expect(berlin.parseInput("2026-07-01T12:00") == Date(timeIntervalSince1970: 1_782_900_000))
        #expect(newYork.parseInput("2026-07-01T12:00") == Date(timeIntervalSince1970: 1_782_921_600))
        #expect(berlin.parseInput("2026-07-01T12:00") == Date(timeIntervalSince1970: 1_782_900_000))
        #expect(newYork.parseInput("2026-07-01T12:00:30") == Date(timeIntervalSince1970: 1_782_921_630))
        #expect(berlin.parseInput("2026-07-01 12:00") == nil)
        #expect(berlin.parseInput("") == nil)
        #expect(berlin.inputValue(noon) != newYork.inputValue(noon))
    }

    @Test func isoIsWhatISO8601DateFormatterSays() {
        var date = Date(timeIntervalSince1970: 1_600_000_000.999)
        for _ in 0..<200 {
            #expect(RowViews.iso(date) == ISO8601DateFormatter().string(from: date))
            date += 86_399.7
        }
    }
}

/// The Settings page's zone change reaches the texts at once (formatters are cached per zone).
struct TimeZoneChangeTests {
    @Test func flashTimesFollowASavedTimeZone() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Web Operator", eligible: [.user("alice")]) { $0.activation.requireMFA = false }
        var alice = try portal.signIn(.plain)
        #expect(try await alice.post("/my-roles/activate", [("role", "\(role)"), ("duration", "60"), ("justification", "Deploy")]).status == .seeOther)
        #expect(await alice.get("/my-roles?tab=active").bodyText.contains("activated until 09:00 UTC."))
        portal.environment.site.withLock { settings in
            var saved = settings ?? SiteSettings.defaults
            saved.timeZone = "Asia/Kolkata"
            settings = saved
        }
        _ = await alice.get("/")
        let second = try await portal.makeRole("Mail Operator", eligible: [.user("alice")]) { $0.activation.requireMFA = false }
        #expect(try await alice.post("/my-roles/activate", [("role", "\(second)"), ("duration", "60"), ("justification", "Deploy")]).status == .seeOther)
        #expect(await alice.get("/my-roles?tab=active").bodyText.contains("activated until 14:30 Asia/Kolkata."))
    }
}
