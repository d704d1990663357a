import Foundation
import GRDB
@testable import PIMAuth
import PIMCore
import Testing

struct SessionStoreTests {
    @Test func sessionIsStoredOnlyAsHash() throws {
        let fixture = try AuthFixture()
        let id = try fixture.sessions.create(username: "alice", remoteAddress: "192.0.2.1")
        #expect(id.token.utf8.count == 43)
        let stored = try fixture.store.pool.read { try Data.fetchAll($0, sql: "SELECT id_hash FROM auth_sessions") }
        #expect(stored == [id.storageHash])
        #expect(Data(id.bytes) != stored[0])
        #expect(try fixture.sessions.load(token: id.token).session?.username == "alice")
    }

    @Test func rotationKillsTheOldID() throws {
        let fixture = try AuthFixture()
        let old = try fixture.sessions.create(username: "alice", remoteAddress: nil)
        let new = try #require(try fixture.sessions.rotate(old))
        #expect(new != old)
        #expect(try fixture.sessions.load(token: old.token) == .none)
        #expect(try fixture.sessions.load(token: new.token).session?.username == "alice")
        #expect(try fixture.sessions.rotate(old) == nil)
    }

    @Test func idleTimeoutEndsTheSession() throws {
        let fixture = try AuthFixture()
        let id = try fixture.sessions.create(username: "alice", remoteAddress: nil)
        fixture.clock.advance(by: 30 * 60 - 1)
        #expect(try fixture.sessions.load(token: id.token).session != nil)
        fixture.clock.advance(by: 30 * 60 - 1)
        #expect(try fixture.sessions.load(token: id.token).session != nil)
        fixture.clock.advance(by: 30 * 60)
        #expect(try fixture.sessions.load(token: id.token) == .expired)
        #expect(try fixture.sessions.load(token: id.token) == .none)
    }

    @Test func absoluteTimeoutEndsABusySession() throws {
        let fixture = try AuthFixture(sessionConfiguration: SessionConfiguration(idleTimeout: 30 * 60, absoluteTimeout: 2 * 60 * 60))
        let id = try fixture.sessions.create(username: "alice", remoteAddress: nil)
        for _ in 0..<7 {
            fixture.clock.advance(by: 17 * 60)
            #expect(try fixture.sessions.load(token: id.token).session != nil)
        }
        fixture.clock.advance(by: 2 * 60 * 60 - 7 * 17 * 60)
        #expect(try fixture.sessions.load(token: id.token) == .expired)
    }

    @Test func endAndEndAllEndSessionsOnTheServer() throws {
        let fixture = try AuthFixture()
        let a = try fixture.sessions.create(username: "alice", remoteAddress: nil)
        let b = try fixture.sessions.create(username: "alice", remoteAddress: nil)
        let c = try fixture.sessions.create(username: "bob", remoteAddress: nil)
        try fixture.sessions.end(a)
        #expect(try fixture.sessions.load(token: a.token) == .none)
        #expect(try fixture.sessions.endAll(username: "alice") == 1)
        #expect(try fixture.sessions.load(token: b.token) == .none)
        #expect(try fixture.sessions.load(token: c.token).session != nil)
    }

    @Test func purgeRemovesOnlyExpiredSessions() throws {
        let fixture = try AuthFixture()
        _ = try fixture.sessions.create(username: "alice", remoteAddress: nil)
        fixture.clock.advance(by: 31 * 60)
        let fresh = try fixture.sessions.create(username: "bob", remoteAddress: nil)
        #expect(try fixture.sessions.purgeExpired() == 1)
        #expect(try fixture.sessions.load(token: fresh.token).session != nil)
    }

    @Test(arguments: ["", "x", String(repeating: "A", count: 42), String(repeating: "A", count: 44),
                      String(repeating: "+", count: 43), String(repeating: "A", count: 42) + "=", "' OR 1=1 --",
                      String(repeating: "A", count: 42) + "\u{0}", String(repeating: "é", count: 43)])
    func hostileCookieValuesFindNoSession(token: String) throws {
        let fixture = try AuthFixture()
        _ = try fixture.sessions.create(username: "alice", remoteAddress: nil)
        #expect(SessionID(token: token) == nil)
        #expect(try fixture.sessions.load(token: token) == .none)
    }

    @Test func unknownWellFormedIDFindsNoSession() throws {
        let fixture = try AuthFixture()
        #expect(try fixture.sessions.load(token: SessionID.generate().token) == .none)
        #expect(try fixture.sessions.load(token: nil) == .none)
    }
}

struct SessionCookieTests {
    @Test func tlsCookieUsesHostPrefixAndSecure() {
        let id = SessionID.generate()
        #expect(SessionCookie.setCookie(id, secure: true) == "__Host-pim=\(id.token); Path=/; HttpOnly; SameSite=Lax; Secure")
        #expect(SessionCookie.setCookie(id, secure: false) == "pim=\(id.token); Path=/; HttpOnly; SameSite=Lax")
        #expect(!SessionCookie.setCookie(id, secure: true).contains("Expires"))
        #expect(!SessionCookie.setCookie(id, secure: true).contains("Domain"))
        #expect(SessionCookie.clearCookie(secure: false) == "pim=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }

    @Test func cookieValueIsReadFromHeaders() {
        #expect(SessionCookie.value(fromCookieHeaders: ["a=1; pim=abc; b=2"], secure: false) == "abc")
        #expect(SessionCookie.value(fromCookieHeaders: ["a=1", "__Host-pim=xyz"], secure: true) == "xyz")
        #expect(SessionCookie.value(fromCookieHeaders: ["pimx=abc; xpim=d"], secure: false) == nil)
        // Two of our cookies (one planted for a parent domain) count as none.
        #expect(SessionCookie.value(fromCookieHeaders: ["pim=one; pim=two"], secure: false) == nil)
        #expect(SessionCookie.value(fromCookieHeaders: [String(repeating: "a", count: 9000) + "; pim=abc"], secure: false) == nil)
    }
}
