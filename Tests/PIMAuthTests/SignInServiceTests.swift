import Foundation
import GRDB
@testable import PIMAuth
import PIMCore
import Testing

/// The whole sign-in path through real PAM (pam_wrapper + pam_matrix) and a real database.
@Suite(.enabled(if: Wrappers.active, Wrappers.reason))
struct SignInServiceTests {
    let fixture: AuthFixture
    let service: SignInService

    init() throws {
        fixture = try AuthFixture()
        let directory = InMemoryDirectory(users: [DirectoryUser(name: "alice", displayName: "Alice Andersen", email: "alice@example.org")])
        service = SignInService(
            authenticator: PAMAuthenticator(configuration: PAMConfiguration(serviceName: "pim", threads: 2)),
            directory: directory, writer: fixture.store.committer, sessions: fixture.sessions, clock: fixture.clock,
            minimumFailureDuration: .milliseconds(200))
    }

    @Test func successStartsASessionUpsertsTheProfileAndAudits() async throws {
        let result = await service.signIn(username: "alice", password: "alice-secret", remoteAddress: "192.0.2.5")
        guard case .signedIn(let id, let user, _) = result else {
            Issue.record("expected success, got \(result)")
            return
        }
        #expect(user == "alice")
        #expect(try fixture.sessions.load(token: id.token).session?.username == "alice")
        let profile = try #require(try fixture.profile("alice"))
        #expect(profile.displayName == "Alice Andersen" && profile.email == "alice@example.org")
        #expect(profile.lastSignInAt == fixture.clock.now() && !profile.mfaEnrolled)
        let event = try #require(try fixture.auditTrail().last)
        #expect(event.action == AuthAuditAction.signIn && event.actor == "alice" && event.result == "success")
    }

    @Test func anEmailSetByAnAdministratorSurvivesSignIn() async throws {
        try await fixture.store.pool.write { db in
            try UserProfiles.upsertOnSignIn(username: "alice", displayName: "A", email: nil, mfaEnrolled: false,
                                            at: fixture.clock.now(), in: db)
            try db.execute(sql: "UPDATE user_profile SET email = 'alice.andersen@corp.example' WHERE username = 'alice'")
        }
        guard case .signedIn = await service.signIn(username: "alice", password: "alice-secret", remoteAddress: nil) else {
            Issue.record("sign-in failed")
            return
        }
        #expect(try fixture.profile("alice")?.email == "alice.andersen@corp.example")
        #expect(try fixture.profile("alice")?.displayName == "Alice Andersen")
    }

    @Test func signInReplacesTheBrowsersPreviousSession() async throws {
        let previous = try fixture.sessions.create(username: "bob", remoteAddress: nil)
        let result = await service.signIn(username: "alice", password: "alice-secret", remoteAddress: nil, replacing: previous)
        guard case .signedIn(let id, _, _) = result else {
            Issue.record("expected success, got \(result)")
            return
        }
        #expect(id != previous)
        #expect(try fixture.sessions.load(token: previous.token) == .none)
    }

    @Test func wrongPasswordAndUnknownUserGetTheSameAnswerAndAreAudited() async throws {
        let clock = ContinuousClock()
        var start = clock.now
        let wrong = await service.signIn(username: "alice", password: "not-it", remoteAddress: "192.0.2.5")
        let wrongTook = clock.now - start
        start = clock.now
        let unknown = await service.signIn(username: "mallory", password: "not-it", remoteAddress: "192.0.2.5")
        let unknownTook = clock.now - start
        #expect(wrong == .failed && unknown == .failed)
        #expect(wrong.message(now: fixture.clock.now()) == unknown.message(now: fixture.clock.now()))
        #expect(wrongTook >= .milliseconds(200) && unknownTook >= .milliseconds(200))
        let trail = try fixture.auditTrail()
        #expect(trail.map(\.result) == ["failure", "failure"])
        #expect(trail.map(\.actor) == ["alice", "mallory"])
        #expect(try !fixture.auditText().contains("not-it"))
    }

    @Test func refusedAccountIsToldWhyOnlyWithTheRightPassword() async throws {
        let right = await service.signIn(username: "dave", password: "dave-secret", remoteAddress: nil)
        #expect(right == .refused(.denied, messages: []))
        #expect(right.message(now: fixture.clock.now()) == AccountProblem.denied.message)
        #expect(await service.signIn(username: "dave", password: "wrong", remoteAddress: nil) == .failed)
    }

    @Test func sixthAttemptAfterFiveFailuresIsThrottledWithoutAskingPAM() async throws {
        for _ in 0..<5 {
            #expect(await service.signIn(username: "bob", password: "guess", remoteAddress: "203.0.113.1") == .failed)
        }
        // Even the right password is refused while throttled.
        let throttled = await service.signIn(username: "bob", password: "bob-secret", remoteAddress: "203.0.113.1")
        guard case .throttled(let until) = throttled else {
            Issue.record("expected throttling, got \(throttled)")
            return
        }
        #expect(throttled.message(now: fixture.clock.now())?.hasPrefix("Too many failed sign-ins. Try again in") == true)
        fixture.clock.set(until)
        guard case .signedIn = await service.signIn(username: "bob", password: "bob-secret", remoteAddress: "203.0.113.1") else {
            Issue.record("back-off should have ended")
            return
        }
        #expect(try fixture.auditTrail().filter { $0.details == "throttled" }.count == 1)
    }

    @Test func aRestartKeepsTheThrottleOfTheLastHour() async throws {
        for _ in 0..<5 {
            #expect(await service.signIn(username: "bob", password: "guess", remoteAddress: "203.0.113.1") == .failed)
        }
        // alice's success in between clears her back-off, as it did before the restart.
        for _ in 0..<4 { #expect(await service.signIn(username: "alice", password: "guess", remoteAddress: nil) == .failed) }
        guard case .signedIn = await service.signIn(username: "alice", password: "alice-secret", remoteAddress: nil) else {
            Issue.record("alice should sign in")
            return
        }
        #expect(await service.signIn(username: "alice", password: "guess", remoteAddress: nil) == .failed)
        let restarted = SignInService(
            authenticator: PAMAuthenticator(configuration: PAMConfiguration(serviceName: "pim", threads: 2)),
            directory: InMemoryDirectory(users: []), writer: fixture.store.committer, sessions: fixture.sessions,
            clock: fixture.clock, minimumFailureDuration: .milliseconds(200))
        guard case .throttled = await restarted.signIn(username: "bob", password: "bob-secret", remoteAddress: "203.0.113.1") else {
            Issue.record("bob's back-off should survive the restart")
            return
        }
        var replayed = SignInThrottle()
        try SignInService.replayRecentSignIns(into: &replayed, from: fixture.store.pool, now: fixture.clock.now())
        #expect(replayed.consecutiveFailures(account: "bob") == 5 && replayed.consecutiveFailures(account: "alice") == 1)
        // Past the window nothing is replayed (the "throttled" attempt never counted).
        var later = SignInThrottle()
        try SignInService.replayRecentSignIns(into: &later, from: fixture.store.pool, now: fixture.clock.now() + 3_601)
        #expect(later.consecutiveFailures(account: "bob") == 0)
    }

    @Test func signOutEndsTheSessionAndEndAllEndsEveryOne() async throws {
        guard case .signedIn(let first, _, _) = await service.signIn(username: "alice", password: "alice-secret", remoteAddress: nil),
              case .signedIn(let second, _, _) = await service.signIn(username: "alice", password: "alice-secret", remoteAddress: nil)
        else {
            Issue.record("sign-in failed")
            return
        }
        let session = try #require(try fixture.sessions.load(token: first.token).session)
        try await service.signOut(session, remoteAddress: nil)
        #expect(try fixture.sessions.load(token: first.token) == .none)
        #expect(try service.endAllSessions(of: "alice", by: "admin", justification: "offboarding", remoteAddress: nil) == 1)
        #expect(try fixture.sessions.load(token: second.token) == .none)
        #expect(try fixture.auditTrail().suffix(2).map(\.action) == [AuthAuditAction.signOut, AuthAuditAction.sessionsEnded])
    }
}
