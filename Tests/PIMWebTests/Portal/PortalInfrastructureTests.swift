import Foundation
import HTTPTypes
import PIMAuth
import PIMCore
import Testing
@testable import PIMWeb

struct PortalInfrastructureTests {
    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let portal = try await TestPortal.make()
        var browser = portal.anonymous
        for path in ["/signin", "/does-not-exist", "/security-info"] {
            let response = await browser.get(path)
            #expect(response.header("Content-Security-Policy") == "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'", "\(path)")
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            #expect(response.header("Referrer-Policy") == "same-origin")
            #expect(response.header("Cache-Control") == "no-store")
        }
    }

    @Test func signedOutVisitorOfAPageIsSentToSignInAndBack() async throws {
        let portal = try await TestPortal.make()
        var browser = portal.anonymous
        let response = await browser.get("/security-info?x=1")
        #expect(response.status == .seeOther)
        #expect(response.location == "/signin?next=%2Fsecurity-info%3Fx%3D1")
    }

    @Test func unknownPageAnswers404WithTheLayout() async throws {
        let portal = try await TestPortal.make()
        var browser = try portal.signIn(.plain)
        let response = await browser.get("/nowhere")
        #expect(response.status == .notFound)
        #expect(response.bodyText.contains("Page not found"))
        #expect(response.bodyText.contains("Alice Andersen"))
    }

    @Test func postWithoutOrWithWrongCSRFTokenIsRefusedBeforeTheHandler() async throws {
        let portal = try await TestPortal.make()
        var browser = try portal.signIn(.plain)
        let missing = try await browser.post("/signout", csrf: .some(nil))
        #expect(missing.status == .forbidden)
        #expect(missing.bodyText.contains("Form expired"))
        let wrong = try await browser.post("/signout", csrf: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        #expect(wrong.status == .forbidden)
        // The session survived both attempts: the handler never ran.
        #expect(try portal.environment.sessions.load(token: browser.sessionToken).session != nil)
    }

    @Test func tokenOfAnotherSessionIsRefused() async throws {
        let portal = try await TestPortal.make()
        var alice = try portal.signIn(.plain)
        let bob = try portal.signIn("bob")
        let response = try await alice.post("/signout", csrf: try bob.csrfToken())
        #expect(response.status == .forbidden)
    }

    @Test func postFromAnotherOriginIsRefused() async throws {
        let portal = try await TestPortal.make()
        var browser = try portal.signIn(.plain)
        let response = try await browser.post("/signout", headers: [("Origin", "https://evil.example")])
        #expect(response.status == .forbidden)
        let same = try await browser.post("/signout", headers: [("Origin", "http://127.0.0.1:8080")])
        #expect(same.status == .seeOther)
    }

    @Test func signOutEndsTheSessionAndRedirectsWithAMessage() async throws {
        let portal = try await TestPortal.make()
        var browser = try portal.signIn(.plain)
        let token = browser.sessionToken
        let response = try await browser.post("/signout")
        #expect(response.status == .seeOther)
        #expect(response.location == "/signin?signedout=1")
        #expect(try portal.environment.sessions.load(token: token).session == nil)
        let page = await browser.get("/signin?signedout=1")
        #expect(page.bodyText.contains("You have signed out."))
    }

    @Test func expiredSessionIsSentToSignInWithTheReason() async throws {
        let portal = try await TestPortal.make()
        var browser = try portal.signIn(.plain)
        portal.clock.advance(by: 31 * 60)
        let response = await browser.get("/security-info")
        #expect(response.status == .seeOther)
        #expect(response.location == "/signin?next=%2Fsecurity-info&expired=1")
        #expect(browser.sessionToken == nil)
    }

    @Test func flashIsShownOnceOnTheNextPage() async throws {
        let portal = try await TestPortal.make()
        var browser = try portal.signIn(.plain)
        let token = try #require(browser.sessionToken)
        let session = try #require(try portal.environment.sessions.load(token: token).session)
        let setCookie = portal.environment.flash.setCookie(
            [FlashMessage(.success, "Saved <b>it</b>")], for: session.id, now: portal.clock.now(), secure: false)
        let pair = setCookie.split(separator: ";")[0]
        browser.cookies["pim-flash"] = String(pair.dropFirst("pim-flash=".count))
        let first = await browser.get("/security-info")
        #expect(first.bodyText.contains("Saved &lt;b&gt;it&lt;/b&gt;"))
        let second = await browser.get("/security-info")
        #expect(!second.bodyText.contains("Saved"))
    }

    @Test func hostileDisplayNameIsEscapedInTheHeader() async throws {
        let portal = try await TestPortal.make(users: [DirectoryUser(name: "mallory", displayName: "<script>alert(1)</script>\"'&")])
        var browser = try portal.signIn("mallory")
        let page = await browser.get("/security-info")
        #expect(page.status == .ok)
        #expect(!page.bodyText.contains("<script>alert"))
        #expect(page.bodyText.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"))
    }

    @Test func unsafeNextTargetsFallBackToHome() {
        #expect(AccessControl.safeNext("/my-roles?tab=active") == "/my-roles?tab=active")
        for hostile in ["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "/a\r\nSet-Cookie: x", nil] {
            #expect(AccessControl.safeNext(hostile) == "/")
        }
    }

    @Test func everyRouteOfTheTableIsMountedOnTheHTTPRouter() async throws {
        let portal = try await TestPortal.make()
        var browser = try portal.signIn(.plain)
        for route in Routes.table.routes where route.method == .get && !route.pattern.contains(":") {
            let response = await browser.get(route.pattern)
            #expect(response.status != .notFound, "\(route.pattern)")
        }
        let deeper = await browser.get("/my-roles/nothing-here")
        #expect(deeper.status == .notFound)
        #expect(deeper.header("Content-Security-Policy") != nil)
    }

    @Test func formDataDecodesPlusPercentAndRepeatedNames() {
        let form = FormData(urlEncoded: "role=1&role=2&role=x&role=1&justification=a+b%20%3C%26%3E&empty=")
        #expect(form.ids("role") == [1, 2])
        #expect(form["justification"] == "a b <&>")
        #expect(form["empty"] == "")
        #expect(FormData(urlEncoded: "a=1&bad=%zz").fields.isEmpty)
        #expect(FormData(urlEncoded: FormData.encode([("a", "x y&z/é")]))["a"] == "x y&z/é")
    }

    @Test func navigationShowsOnlyPagesTheUserMayUse() async throws {
        let portal = try await TestPortal.make()
        var plain = try portal.signIn(.plain)
        let page = await plain.get("/security-info")
        #expect(page.bodyText.contains("href=\"/security-info\""))
        #expect(page.bodyText.contains("aria-current=\"page\""))
        #expect(!page.bodyText.contains(">Manage<"))
    }
}
