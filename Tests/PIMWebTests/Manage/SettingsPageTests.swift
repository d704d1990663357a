import Foundation
import GRDB
import PIMAuth
import PIMCore
import Testing
@testable import PIMWeb

struct SettingsPageTests {
    let valid: [(String, String)] = [
        ("timeZone", "Europe/Berlin"), ("sessionIdleMinutes", "20"), ("sessionAbsoluteHours", "8"),
        ("totpLockoutAttempts", "5"), ("totpLockoutMinutes", "15"),
    ]

    @Test func savingTheSettingsIsAuditedAndShown() async throws {
        let portal = try await TestPortal.make()
        var admin = try portal.signIn(.admin)
        let response = try await admin.post("/settings", valid)
        #expect(response.status == .seeOther)
        let page = await admin.get("/settings")
        #expect(page.bodyText.contains("Settings saved."))
        #expect(page.bodyText.contains("<option value=\"Europe/Berlin\" selected>"))
        let details = try await portal.environment.store.pool.read {
            try String.fetchOne($0, sql: "SELECT details FROM audit_event WHERE action = 'siteSettingsUpdate'")
        }
        #expect(details?.contains("time zone: UTC → Europe/Berlin") == true)
    }

    @Test func savedTimeZoneAppliesAtOnceAndSignInPolicyAtTheNextStart() async throws {
        let portal = try await TestPortal.make()
        var admin = try portal.signIn(.admin)
        #expect(await admin.get("/roles").bodyText.contains("Times are shown in UTC."))
        _ = try await admin.post("/settings", valid)
        #expect(await admin.get("/roles").bodyText.contains("Times are shown in Europe/Berlin."))
        let restarted = AppEnvironment(
            configuration: PortalConfiguration(), store: portal.environment.store, clock: portal.clock,
            templates: TestPortal.templates, directory: portal.directory, keys: AuthKeys.forTesting(),
            authenticator: PAMAuthenticator())
        #expect(restarted.sessions.configuration.idleTimeout == 20 * 60)
        #expect(restarted.sessions.configuration.absoluteTimeout == 8 * 3600)
        #expect(restarted.timeZone.identifier == "Europe/Berlin")
    }

    @Test func invalidValuesAreShownAtTheirFieldsAndKept() async throws {
        let portal = try await TestPortal.make()
        var admin = try portal.signIn(.admin)
        var form = valid.filter { $0.0 != "timeZone" && $0.0 != "sessionIdleMinutes" }
        form += [("timeZone", "Mars/Olympus"), ("sessionIdleMinutes", "1000")]
        let response = try await admin.post("/settings", form)
        #expect(response.status == .unprocessableContent)
        #expect(response.bodyText.contains("Choose a time zone from the list."))
        #expect(response.bodyText.contains("id=\"sessionIdleMinutes-error\">Enter an idle timeout between 5 and 240 minutes."))
        #expect(response.bodyText.contains("value=\"1000\""))
    }

    @Test func readerSeesTheValuesWithoutAForm() async throws {
        let portal = try await TestPortal.make()
        var reader = try portal.signIn(.reader)
        let page = await reader.get("/settings")
        #expect(page.status == .ok)
        #expect(page.postFormCount == 0)
        #expect(page.bodyText.contains("UTC"))
        #expect(try await reader.post("/settings", valid).status == .forbidden)
    }
}
