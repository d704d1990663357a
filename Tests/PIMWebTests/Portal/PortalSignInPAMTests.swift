import Foundation
import PIMCore
import Testing
@testable import PIMWeb

/// Sign-in through real PAM: runs under pam_wrapper + nss_wrapper with the demo accounts
/// (`scripts/test-portal-pam.sh`); skipped unless that script sets PIM_PORTAL_PAM_TESTS.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PIM_PORTAL_PAM_TESTS"] == "1"))
struct PortalSignInPAMTests {
    private func signInForm(_ browser: inout Browser, next: String = "/") async throws -> String {
        let form = await browser.get("/signin?next=" + FormData.escape(next))
        return String(try #require(form.bodyText.firstMatch(of: /name="login_csrf" value="([^"]+)"/)?.1))
    }

    @Test func rightPasswordSignsInWithANewSessionAndGoesToNext() async throws {
        let portal = try await TestPortal.make()
        var browser = portal.anonymous
        let token = try await signInForm(&browser, next: "/my-roles")
        let response = try await browser.post("/signin", [
            ("login_csrf", token), ("username", "alice"), ("password", "alice-demo"), ("next", "/my-roles")], csrf: .some(nil))
        #expect(response.status == .seeOther)
        #expect(response.location == "/my-roles")
        #expect(browser.sessionToken != nil)
        #expect(browser.cookies["pim-login"] == nil)
        let page = await browser.get("/my-roles")
        #expect(page.status == .ok)
        #expect(page.bodyText.contains("Alice Andersen"))
    }

    @Test func wrongPasswordAndUnknownUserGetTheSameGenericMessage() async throws {
        let portal = try await TestPortal.make()
        var browser = portal.anonymous
        var bodies: [String] = []
        for (user, password) in [("alice", "wrong"), ("nobody", "alice-demo")] {
            let token = try await signInForm(&browser)
            let response = try await browser.post("/signin", [
                ("login_csrf", token), ("username", user), ("password", password)], csrf: .some(nil))
            #expect(response.status == .ok)
            #expect(browser.sessionToken == nil)
            bodies.append(response.bodyText)
        }
        for body in bodies { #expect(body.contains("The user name or password is not right.")) }
        #expect(bodies[0].contains("value=\"alice\""))
    }

    @Test func offSiteNextIsIgnoredAfterSignIn() async throws {
        let portal = try await TestPortal.make()
        var browser = portal.anonymous
        let token = try await signInForm(&browser)
        let response = try await browser.post("/signin", [
            ("login_csrf", token), ("username", "bob"), ("password", "bob-demo"), ("next", "//evil.example/")], csrf: .some(nil))
        #expect(response.location == "/")
    }

    @Test func repeatedFailuresShowTheThrottleMessage() async throws {
        let portal = try await TestPortal.make()
        var browser = portal.anonymous
        var last = ""
        for _ in 0..<6 {
            let token = try await signInForm(&browser)
            last = try await browser.post("/signin", [
                ("login_csrf", token), ("username", "carol"), ("password", "wrong")], csrf: .some(nil)).bodyText
        }
        #expect(last.contains("Too many failed sign-ins. Try again in"))
        // Even the right password waits now (PAM is not asked).
        let token = try await signInForm(&browser)
        let refused = try await browser.post("/signin", [
            ("login_csrf", token), ("username", "carol"), ("password", "carol-demo")], csrf: .some(nil))
        #expect(refused.bodyText.contains("Too many failed sign-ins."))
        #expect(browser.sessionToken == nil)
    }
}
