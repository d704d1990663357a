import Foundation
@testable import PIMAuth
import PIMCore
import Testing

struct CSRFTests {
    func session(_ fixture: AuthFixture, _ user: String) throws -> Session {
        let id = try fixture.sessions.create(username: user, remoteAddress: nil)
        return try #require(try fixture.sessions.load(token: id.token).session)
    }

    @Test func sessionTokenIsAcceptedAndOthersRefused() throws {
        let fixture = try AuthFixture()
        let mine = try session(fixture, "alice")
        let theirs = try session(fixture, "bob")
        #expect(CSRFGuard.isValid(submitted: mine.csrfToken, for: mine))
        #expect(!CSRFGuard.isValid(submitted: nil, for: mine))
        #expect(!CSRFGuard.isValid(submitted: "", for: mine))
        #expect(!CSRFGuard.isValid(submitted: "wrong", for: mine))
        #expect(!CSRFGuard.isValid(submitted: theirs.csrfToken, for: mine))
        #expect(!CSRFGuard.isValid(submitted: String(mine.csrfToken.dropLast()), for: mine))
        #expect(!CSRFGuard.isValid(submitted: mine.csrfToken + "\u{0}", for: mine))
        #expect(!CSRFGuard.isValid(submitted: String(repeating: "A", count: 10_000), for: mine))
    }

    @Test func tokenDoesNotRevealTheSessionIDAndChangesAtRotation() throws {
        let fixture = try AuthFixture()
        let before = try session(fixture, "alice")
        #expect(before.csrfToken != before.id.token)
        let rotated = try #require(try fixture.sessions.rotate(before.id))
        #expect(rotated.csrfToken != before.csrfToken)
    }

    /// Tokens are kept for the sessions seen last; past the limit the keeping starts over, and
    /// every session still gets its own token, the one derived from its id.
    @Test func keptTokensStayEachSessionsOwnPastTheLimit() {
        let ids = (0..<(SessionID.recentCSRFTokenLimit + 40)).map { _ in SessionID.generate() }
        let first = ids.map(\.csrfToken)
        let again = ids.reversed().map(\.csrfToken).reversed()
        #expect(Array(again) == first)
        #expect(first == ids.map { SessionID.deriveCSRFToken($0.bytes) })
        #expect(Set(first).count == ids.count)
    }

    @Test func loginTokenNeedsMatchingSignedFreshCookie() throws {
        let login = LoginCSRF(keys: .forTesting())
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let (setCookie, field) = login.issue(now: now, secure: true)
        #expect(setCookie.hasPrefix("__Host-pim-login="))
        #expect(setCookie.hasSuffix("; Path=/; HttpOnly; SameSite=Lax; Secure"))
        let cookie = try #require(LoginCSRF.cookieValue(fromCookieHeaders: [String(setCookie.split(separator: ";")[0])], secure: true))
        #expect(login.isValid(cookie: cookie, field: field, now: now.addingTimeInterval(10)))
        #expect(!login.isValid(cookie: cookie, field: nil, now: now))
        #expect(!login.isValid(cookie: nil, field: field, now: now))
        #expect(!login.isValid(cookie: cookie, field: field + "x", now: now))
        #expect(!login.isValid(cookie: cookie, field: field, now: now.addingTimeInterval(3601)))
        // A cookie signed under another key file, or with a changed time, is refused.
        let other = LoginCSRF(keys: .forTesting(master: Array(repeating: 1, count: 32)))
        #expect(!other.isValid(cookie: cookie, field: field, now: now))
        let parts = cookie.split(separator: ".").map(String.init)
        let forged = "\(parts[0]).\(Int(now.timeIntervalSince1970) + 5000).\(parts[2])"
        #expect(!login.isValid(cookie: forged, field: field, now: now.addingTimeInterval(4000)))
        // An attacker's own pair does not validate another's field.
        let (_, attackerField) = login.issue(now: now, secure: true)
        #expect(!login.isValid(cookie: cookie, field: attackerField, now: now))
        #expect(!login.isValid(cookie: "a.b.c.d", field: "a", now: now))
    }

    @Test func originMustMatchWhenPresent() {
        let configured = OriginCheck(expectedOrigin: "https://pim.example.org")
        #expect(configured.allows(origin: nil, host: "anything", secure: true))
        #expect(configured.allows(origin: "https://pim.example.org", host: nil, secure: true))
        #expect(configured.allows(origin: "https://PIM.example.org:443", host: nil, secure: true))
        #expect(!configured.allows(origin: "https://evil.example", host: "pim.example.org", secure: true))
        #expect(!configured.allows(origin: "http://pim.example.org", host: nil, secure: true))
        #expect(!configured.allows(origin: "https://pim.example.org.evil.example", host: nil, secure: true))
        #expect(!configured.allows(origin: "null", host: nil, secure: true))

        let byHost = OriginCheck(expectedOrigin: nil)
        #expect(byHost.allows(origin: "http://127.0.0.1:8080", host: "127.0.0.1:8080", secure: false))
        #expect(!byHost.allows(origin: "http://127.0.0.1:8081", host: "127.0.0.1:8080", secure: false))
        #expect(!byHost.allows(origin: "https://127.0.0.1:8080", host: "127.0.0.1:8080", secure: false))
        #expect(!byHost.allows(origin: "http://x", host: nil, secure: false))
    }
}

struct PostGuardTests {
    @Test func postCheckNamesTheReason() throws {
        let fixture = try AuthFixture()
        let id = try fixture.sessions.create(username: "alice", remoteAddress: nil)
        let session = try #require(try fixture.sessions.load(token: id.token).session)
        let origins = OriginCheck(expectedOrigin: "https://pim.example.org")
        func check(_ token: String?, _ origin: String?) -> CSRFGuard.Rejection? {
            CSRFGuard.checkPost(submitted: token, session: session, origin: origin, host: "pim.example.org",
                                secure: true, originCheck: origins)
        }
        #expect(check(session.csrfToken, "https://pim.example.org") == nil)
        #expect(check(session.csrfToken, nil) == nil)
        #expect(check(session.csrfToken, "https://evil.example") == .foreignOrigin)
        #expect(check(nil, nil) == .missingToken)
        #expect(check("", nil) == .missingToken)
        #expect(check("forged", nil) == .wrongToken)
    }
}

struct AuthSystemTests {
    @Test func wiresEverythingAndCreatesTheKeyFile() throws {
        let fixture = try AuthFixture()
        let keyPath = fixture.directory.appendingPathComponent("auth.key").path
        let system = try AuthSystem(store: fixture.store, configuration: AuthConfiguration(keyFilePath: keyPath))
        #expect(FileManager.default.fileExists(atPath: keyPath))
        let enrolment = try system.totp.beginEnrolment(user: "alice", freshProofAt: nil)
        #expect(enrolment.uri.hasPrefix("otpauth://totp/PIM:alice?"))
        #expect(system.configuration.pam.serviceName == "pim")
    }
}
