import Foundation
import HTTPTypes
import PIMAuth
import PIMCore
import Testing
@testable import PIMWeb

struct PortalTasksTests {
    static let taskPages = ["/", "/my-roles", "/my-roles?tab=active", "/my-roles?tab=expired", "/my-requests",
                            "/approvals", "/security-info"]

    @Test(arguments: TestPortal.Kind.allCases)
    func everyTasksPageRendersForEachKindOfUser(kind: TestPortal.Kind) async throws {
        let portal = try await TestPortal.make()
        try await portal.makeRole("Database Administrator", eligible: [.user(kind.username)])
        var browser = try portal.signIn(kind)
        for path in Self.taskPages {
            let page = await browser.get(path)
            #expect(page.status == .ok, "\(kind) \(path)")
            #expect(page.header("Cache-Control") == "no-store")
            #expect(page.bodyText.contains("<h1>"))
        }
        let roles = await browser.get("/my-roles")
        #expect(roles.bodyText.contains("Database Administrator"))
    }

    @Test func signedOutVisitorsOfTasksPagesGoToSignIn() async throws {
        let portal = try await TestPortal.make()
        var browser = portal.anonymous
        for path in Self.taskPages {
            let response = await browser.get(path)
            #expect(response.status == .seeOther, "\(path)")
            #expect(response.location?.hasPrefix("/signin") == true)
        }
    }

    @Test func activationWithoutMFAOrApprovalActivatesAndSaysUntilWhen() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Web Operator", eligible: [.user("alice")]) { $0.activation.requireMFA = false }
        var alice = try portal.signIn(.plain)
        let form = await alice.get("/my-roles/activate?role=\(role)")
        #expect(form.status == .ok)
        #expect(form.bodyText.contains("<option value=\"480\" selected>8 h</option>"))
        let response = try await alice.post("/my-roles/activate", [
            ("role", "\(role)"), ("duration", "60"), ("justification", "Deploy release 4.2")])
        #expect(response.status == .seeOther)
        #expect(response.location == "/my-roles?tab=active")
        let active = await alice.get("/my-roles?tab=active")
        #expect(active.bodyText.contains("Web Operator: activated until 09:00 UTC."))
        #expect(active.bodyText.contains("Deactivate"))
        let again = await alice.get("/my-roles?tab=active")
        #expect(!again.bodyText.contains("activated until"))
    }

    @Test func activationFormShowsErrorsAtTheFieldsAndKeepsTheValues() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Ticketed", eligible: [.user("alice")]) {
            $0.activation.requireMFA = false
            $0.activation.requireTicket = true
            $0.activation.maximumDurationMinutes = 120
        }
        var alice = try portal.signIn(.plain)
        let response = try await alice.post("/my-roles/activate", [
            ("role", "\(role)"), ("duration", "180"), ("justification", ""), ("ticketSystem", "Jira <x>"), ("ticketNumber", "")])
        #expect(response.status == .unprocessableContent)
        let html = response.bodyText
        #expect(html.contains("There is a problem"))
        #expect(html.contains("Duration is longer than this role allows (max 2 h)"))
        #expect(html.contains("A justification is required."))
        #expect(html.contains("Enter the ticket number."))
        #expect(html.contains("value=\"Jira &lt;x&gt;\""))
        #expect(html.contains("aria-invalid=\"true\""))
        #expect(html.contains("href=\"#justification\""))
        // Nothing was activated.
        let active = await alice.get("/my-roles?tab=active")
        #expect(active.bodyText.contains("No active roles."))
    }

    @Test func notEnrolledUserIsSentThroughSecurityInfoAndBackWithWhatWasTyped() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Global Administrator", eligible: [.user("alice")]) {
            $0.activation.maximumDurationMinutes = 60
        }
        var alice = try portal.signIn(.plain)
        let form = await alice.get("/my-roles/activate?role=\(role)")
        #expect(form.bodyText.contains("Additional verification required"))
        let continued = try await alice.post("/my-roles/activate", [
            ("role", "\(role)"), ("duration", "60"), ("justification", "Incident 77 & <b>")])
        #expect(continued.status == .seeOther)
        let securityInfo = try #require(continued.location)
        #expect(securityInfo.hasPrefix("/security-info?return_to="))
        let intro = await alice.get(securityInfo)
        #expect(intro.bodyText.contains("takes you back to your activation"))
        let returnTo = try #require(FormData(urlEncoded: String(securityInfo.split(separator: "?", maxSplits: 1)[1]))["return_to"])
        let scan = try await alice.post("/security-info/start", [("return_to", returnTo)])
        #expect(scan.status == .ok)
        #expect(scan.bodyText.contains("<svg"))
        let secret = try #require(shownSecret(in: scan.bodyText))
        let app = try #require(TestAuthenticator(shownSecret: secret))
        let confirmed = try await alice.post("/security-info/confirm", [
            ("code", try app.code(at: portal.clock.now())), ("return_to", returnTo)])
        #expect(confirmed.status == .seeOther)
        #expect(confirmed.location == returnTo)
        let back = await alice.get(returnTo)
        #expect(back.bodyText.contains("Your authenticator app is set up."))
        #expect(back.bodyText.contains("Incident 77 &amp; &lt;b&gt;</textarea>"))
        #expect(!back.bodyText.contains("Additional verification required"))
        // The code just confirmed counts as this activation's proof (within the freshness window).
        let activated = try await alice.post("/my-roles/activate", [
            ("role", "\(role)"), ("duration", "60"), ("justification", "Incident 77")])
        #expect(activated.location == "/my-roles?tab=active")
    }

    @Test func wrongAndReplayedCodesAreRefusedAtTheCodeField() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Sudo on web", eligible: [.user("alice")])
        let app = try portal.enrolTOTP("alice")
        var alice = try portal.signIn(.plain)
        let fields = [("role", "\(role)"), ("duration", "60"), ("justification", "Patch")]
        let wrong = try await alice.post("/my-roles/activate", fields + [("code", "000000")])
        #expect(wrong.status == .unprocessableContent)
        #expect(wrong.bodyText.contains("That code is not right."))
        let code = try app.code(at: portal.clock.now())
        let good = try await alice.post("/my-roles/activate", fields + [("code", code)])
        #expect(good.location == "/my-roles?tab=active")
        // Deactivate is refused in the first 5 minutes, with PIMCore's sentence.
        let roles = try await portal.environment.queries.myRoles(username: "alice")
        let activation = try #require(roles.active.first)
        let early = try await alice.post("/my-roles/deactivate", [("assignment", "\(activation.assignment.id)")],
                                         headers: [("Referer", "http://127.0.0.1:8080/my-roles?tab=active")])
        #expect(early.location == "/my-roles?tab=active")
        let shown = await alice.get("/my-roles?tab=active")
        #expect(shown.bodyText.contains("An activation cannot be deactivated in its first 5 minutes."))
        // The same code again (replay) is refused, even from another session of hers.
        var otherSession = try portal.signIn(.plain)
        let replay = try await otherSession.post("/my-roles/extend", [
            ("extend", "\(activation.assignment.id)"), ("duration", "60"), ("justification", "More"), ("code", code)])
        #expect(replay.bodyText.contains("That code was already used."))
    }

    @Test func approvalFlowFromRequestToApproverAndBackIncludingSelfApprovalRefused() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Global Administrator", eligible: [.user("alice")]) {
            $0.activation.requireMFA = false
            $0.activation.requireApproval = true
            $0.activation.approverGroups = ["secops"]
            $0.activation.maximumDurationMinutes = 60
        }
        var alice = try portal.signIn(.plain)
        let requested = try await alice.post("/my-roles/activate", [
            ("role", "\(role)"), ("duration", "60"), ("justification", "Rotate <keys>")])
        #expect(requested.location == "/my-requests")
        let mine = await alice.get("/my-requests")
        #expect(mine.bodyText.contains("Global Administrator: pending approval."))
        #expect(mine.bodyText.contains("Pending approval"))
        let aliceQueue = await alice.get("/approvals")
        #expect(aliceQueue.bodyText.contains("No requests are waiting for you."))

        var bob = try portal.signIn("bob")
        let queue = await bob.get("/approvals")
        #expect(queue.bodyText.contains("Rotate &lt;keys&gt;"))
        #expect(queue.bodyText.contains("Alice Andersen"))
        let requestID = try #require(try await portal.environment.queries.pendingApprovals(for: "bob").first?.request.id)
        let missing = try await bob.post("/approvals/decide", [("request", "\(requestID)"), ("decision", "approve")])
        #expect(missing.status == .unprocessableContent)
        #expect(missing.bodyText.contains("A justification is required to approve or deny."))
        let approved = try await bob.post("/approvals/decide", [
            ("request", "\(requestID)"), ("decision", "approve"), ("justification", "Change 12 is approved")])
        #expect(approved.location == "/approvals")
        let after = await bob.get("/approvals")
        #expect(after.bodyText.contains("Approved 1 request: Global Administrator."))

        let active = await alice.get("/my-roles?tab=active")
        #expect(active.bodyText.contains("Global Administrator"))
        #expect(active.bodyText.contains("09:00"))

        // Alice cannot decide her own request, even by forging the form.
        let second = try await portal.makeRole("Second", eligible: [.user("alice")]) {
            $0.activation.requireMFA = false
            $0.activation.requireApproval = true
        }
        _ = try await alice.post("/my-roles/activate", [("role", "\(second)"), ("duration", "60"), ("justification", "x")])
        let own = try #require(try await portal.environment.queries.myRequests(username: "alice").first?.request.id)
        _ = try await alice.post("/approvals/decide", [("request", "\(own)"), ("decision", "approve"), ("justification", "me")])
        let refused = await alice.get("/approvals")
        #expect(refused.bodyText.contains("You cannot approve your own request."))
    }

    @Test func bulkActivationAndBulkApprovalWorkOnSeveralRows() async throws {
        let portal = try await TestPortal.make()
        var ids: [Int64] = []
        for name in ["Alpha", "Beta"] {
            ids.append(try await portal.makeRole(name, eligible: [.user("alice")]) {
                $0.activation.requireMFA = false
                $0.activation.requireApproval = true
            })
        }
        var alice = try portal.signIn(.plain)
        let form = await alice.get("/my-roles/activate?role=\(ids[0])&role=\(ids[1])")
        #expect(form.bodyText.contains("Activate 2 roles"))
        let requested = try await alice.post("/my-roles/activate", ids.map { ("role", "\($0)") } + [
            ("duration", "60"), ("justification", "Maintenance window")])
        #expect(requested.location == "/my-requests")
        var admin = try portal.signIn(.admin)
        let pending = try await portal.environment.queries.pendingApprovals(for: "admin").map(\.request.id)
        #expect(pending.count == 2)
        _ = try await admin.post("/approvals/decide", pending.map { ("request", "\($0)") } + [
            ("decision", "deny"), ("justification", "Not this week")])
        let page = await admin.get("/approvals")
        #expect(page.bodyText.contains("Denied 2 requests"))
        let mine = await alice.get("/my-requests")
        #expect(mine.bodyText.contains("Denied"))
    }

    @Test func approverTOTPIsAskedWhenTheRoleRequiresIt() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Vault", eligible: [.user("alice")]) {
            $0.activation.requireMFA = false
            $0.activation.requireApproval = true
            $0.activation.requireApproverMFA = true
        }
        var alice = try portal.signIn(.plain)
        _ = try await alice.post("/my-roles/activate", [("role", "\(role)"), ("duration", "30"), ("justification", "x")])
        let app = try portal.enrolTOTP("admin")
        var admin = try portal.signIn(.admin)
        let queue = await admin.get("/approvals")
        #expect(queue.bodyText.contains("Verification code"))
        let id = try #require(try await portal.environment.queries.pendingApprovals(for: "admin").first?.request.id)
        let noCode = try await admin.post("/approvals/decide", [("request", "\(id)"), ("decision", "approve"), ("justification", "ok")])
        #expect(noCode.status == .unprocessableContent)
        let withCode = try await admin.post("/approvals/decide", [
            ("request", "\(id)"), ("decision", "approve"), ("justification", "ok"), ("code", try app.code(at: portal.clock.now()))])
        #expect(withCode.location == "/approvals")
        #expect(withCode.setCookies.contains { $0.hasPrefix("pim=") })
        let page = await admin.get("/approvals")
        #expect(page.bodyText.contains("Approved 1 request"))
    }

    @Test func pendingRequestCanBeCanceledByItsRequesterOnly() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Cancelable", eligible: [.user("alice")]) {
            $0.activation.requireMFA = false
            $0.activation.requireApproval = true
        }
        var alice = try portal.signIn(.plain)
        _ = try await alice.post("/my-roles/activate", [("role", "\(role)"), ("duration", "30"), ("justification", "x")])
        let id = try #require(try await portal.environment.queries.myRequests(username: "alice").first?.request.id)
        var bob = try portal.signIn("bob")
        _ = try await bob.post("/my-requests/\(id)/cancel", headers: [("Referer", "http://127.0.0.1:8080/my-requests")])
        #expect(await bob.get("/my-requests").bodyText.contains("Only the requester can cancel this request."))
        let canceled = try await alice.post("/my-requests/\(id)/cancel")
        #expect(canceled.location == "/my-requests")
        let page = await alice.get("/my-requests")
        #expect(page.bodyText.contains("Request \(id) is canceled."))
        #expect(page.bodyText.contains("badge-neutral\">Canceled"))
    }

    @Test func hostileRoleNamesAndJustificationsAreEscapedEverywhere() async throws {
        let portal = try await TestPortal.make()
        let hostile = "<img src=x onerror=alert(1)> & \"quoted\" 'single'"
        let role = try await portal.makeRole(hostile, eligible: [.user("alice")]) {
            $0.activation.requireMFA = false
            $0.activation.requireApproval = true
        }
        var alice = try portal.signIn(.plain)
        _ = try await alice.post("/my-roles/activate", [
            ("role", "\(role)"), ("duration", "30"), ("justification", "</textarea><script>alert(2)</script>")])
        var admin = try portal.signIn(.admin)
        var pages: [String] = []
        pages.append(await alice.get("/my-roles").bodyText)
        pages.append(await alice.get("/my-requests").bodyText)
        pages.append(await alice.get("/my-roles/activate?role=\(role)").bodyText)
        pages.append(await admin.get("/approvals").bodyText)
        pages.append(await admin.get("/").bodyText)
        for html in pages {
            #expect(!html.contains("<img src=x"))
            #expect(!html.contains("<script>alert"))
        }
        #expect(pages[0].contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot; &#39;single&#39;"))
        #expect(pages[3].contains("&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;"))
    }

    @Test func homeShowsWhatNeedsAttentionPerKindOfUser() async throws {
        let portal = try await TestPortal.make()
        _ = try await portal.makeRole("Needs approval", eligible: [.user("alice")]) {
            $0.activation.requireMFA = false
            $0.activation.requireApproval = true
        }
        var alice = try portal.signIn(.plain)
        let id = try #require(try await portal.environment.queries.myRoles(username: "alice").eligible.first?.assignment.roleID)
        _ = try await alice.post("/my-roles/activate", [("role", "\(id)"), ("duration", "30"), ("justification", "x")])
        var admin = try portal.signIn(.admin)
        let adminHome = await admin.get("/")
        #expect(adminHome.bodyText.contains("Review 1 request"))
        #expect(adminHome.bodyText.contains("You are a PIM Administrator."))
        var reader = try portal.signIn(.reader)
        let readerHome = await reader.get("/")
        #expect(readerHome.bodyText.contains("You can read roles, settings and the audit log."))
        let aliceHome = await alice.get("/")
        #expect(aliceHome.bodyText.contains("Set one up in Security info"))
        #expect(!aliceHome.bodyText.contains("You are a PIM Administrator."))
    }

    @Test func signInFormNeedsItsOwnTokenAndValidatesEmptyFields() async throws {
        let portal = try await TestPortal.make(configuration: { var c = PortalConfiguration(); c.demoMode = true; return c }())
        var browser = portal.anonymous
        let form = await browser.get("/signin")
        #expect(form.bodyText.contains("Demo mode."))
        #expect(browser.cookies["pim-login"] != nil)
        let noToken = try await browser.post("/signin", [("username", "alice"), ("password", "x")], csrf: .some(nil))
        #expect(noToken.status == .forbidden)
        let token = try #require(form.bodyText.firstMatch(of: /name="login_csrf" value="([^"]+)"/)?.1)
        let empty = try await browser.post("/signin", [("login_csrf", String(token)), ("username", ""), ("password", "")],
                                           csrf: .some(nil))
        #expect(empty.status == .ok)
        #expect(empty.bodyText.contains("Enter your user name."))
        #expect(empty.bodyText.contains("Enter your password."))
    }

    @Test func forbiddenPagesAnswer403() async throws {
        let portal = try await TestPortal.make()
        let table = RouteTable(Routes.table.routes + [
            Route(.get, "/admin-only", .administrator) { _ in .text("secret") },
            Route(.get, "/readers", .managementReader) { _ in .text("read") },
        ])
        let environment = AppEnvironment(
            configuration: PortalConfiguration(), store: portal.environment.store, clock: portal.clock,
            templates: TestPortal.templates, directory: portal.directory, keys: AuthKeys.forTesting(),
            authenticator: PAMAuthenticator(), routes: table)
        let app = PortalApp(environment: environment)
        func get(_ path: String, as browser: Browser) async -> PortalResponse {
            var fields = HTTPFields()
            fields[.cookie] = "pim=\(browser.sessionToken ?? "")"
            return await app.respond(to: PortalRequest(head: HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:8080",
                                                                          path: path, headerFields: fields)))
        }
        let plain = try portal.signIn(.plain), reader = try portal.signIn(.reader), admin = try portal.signIn(.admin)
        #expect(await get("/admin-only", as: plain).status == .forbidden)
        #expect(await get("/admin-only", as: reader).status == .forbidden)
        #expect(await get("/admin-only", as: admin).status == .ok)
        #expect(await get("/readers", as: plain).status == .forbidden)
        #expect(await get("/readers", as: reader).status == .ok)
        let forbidden = await get("/readers", as: plain)
        #expect(forbidden.bodyText.contains("You do not have permission to use this page."))
        #expect(forbidden.header("Content-Security-Policy") != nil)
    }
}
