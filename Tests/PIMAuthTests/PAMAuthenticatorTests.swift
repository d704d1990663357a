import Foundation
@testable import PIMAuth
import Testing

/// PAM through the real Linux-PAM library under pam_wrapper with pam_matrix (services written by
/// scripts/test-auth-env.sh).
@Suite(.enabled(if: Wrappers.active, Wrappers.reason))
struct PAMAuthenticatorTests {
    let pam = PAMAuthenticator(configuration: PAMConfiguration(serviceName: "pim", threads: 4))

    @Test func correctPasswordAuthenticatesAndReturnsCanonicalName() async {
        let outcome = await pam.authenticate(username: "alice", password: "alice-secret", remoteHost: "192.0.2.10")
        #expect(outcome == .authenticated(user: "alice", messages: []))
    }

    @Test func wrongPasswordIsBadCredentials() async {
        let outcome = await pam.authenticate(username: "alice", password: "alice-wrong", remoteHost: nil)
        #expect(outcome == .badCredentials)
    }

    @Test func unknownUserIsTheSameBadCredentials() async {
        let outcome = await pam.authenticate(username: "mallory", password: "whatever", remoteHost: nil)
        #expect(outcome == .badCredentials)
    }

    @Test func accountRefusedByAccountModuleOnlyAfterRightPassword() async {
        // dave's passdb service column allows "elsewhere", so pam_acct_mgmt refuses him for "pim".
        let right = await pam.authenticate(username: "dave", password: "dave-secret", remoteHost: nil)
        guard case .refused(let problem, _) = right else {
            Issue.record("expected refusal, got \(right)")
            return
        }
        #expect(!problem.message.isEmpty)
        let wrong = await pam.authenticate(username: "dave", password: "nope", remoteHost: nil)
        #expect(wrong == .badCredentials)
    }

    @Test func emptyPasswordIsRefused() async {
        #expect(await pam.authenticate(username: "alice", password: "", remoteHost: nil) == .badCredentials)
    }

    @Test func passwordsLongerThan512BytesNeverReachPAM() async {
        let atLimit = String(repeating: "a", count: 512)
        let overLimit = String(repeating: "a", count: 513)
        #expect(PAMAuthenticator.isAcceptable(password: atLimit))
        #expect(!PAMAuthenticator.isAcceptable(password: overLimit))
        #expect(await pam.authenticate(username: "alice", password: overLimit, remoteHost: nil) == .badCredentials)
        // Multi-byte characters count in bytes: 171 × "€" (3 bytes) = 513 bytes.
        #expect(!PAMAuthenticator.isAcceptable(password: String(repeating: "€", count: 171)))
    }

    @Test func hostileNamesAndPasswordsAreRefused() async {
        #expect(await pam.authenticate(username: "alice\0", password: "alice-secret", remoteHost: nil) == .badCredentials)
        #expect(await pam.authenticate(username: "alice", password: "alice-secret\0tail", remoteHost: nil) == .badCredentials)
        #expect(await pam.authenticate(username: "", password: "x", remoteHost: nil) == .badCredentials)
        #expect(await pam.authenticate(username: "al\nice", password: "x", remoteHost: nil) == .badCredentials)
        #expect(await pam.authenticate(username: String(repeating: "u", count: 300), password: "x", remoteHost: nil) == .badCredentials)
    }

    @Test func chattyModuleInfoMessagesAreCollected() async {
        let chatty = PAMAuthenticator(configuration: PAMConfiguration(serviceName: "pim-chatty", threads: 1))
        let outcome = await chatty.authenticate(username: "bob", password: "bob-secret", remoteHost: nil)
        guard case .authenticated(let user, let messages) = outcome else {
            Issue.record("expected success, got \(outcome)")
            return
        }
        #expect(user == "bob")
        #expect(messages.count == 3)
        #expect(messages.allSatisfy { $0.kind == .info && !$0.text.isEmpty })
    }

    @Test func unknownServiceFallsBackToOtherWhichDenies() async {
        let unknown = PAMAuthenticator(configuration: PAMConfiguration(serviceName: "no-such-service", threads: 1))
        #expect(await unknown.authenticate(username: "alice", password: "alice-secret", remoteHost: nil) == .badCredentials)
    }

    @Test func brokenServiceIsUnavailableNotBadCredentials() async {
        let broken = PAMAuthenticator(configuration: PAMConfiguration(serviceName: "pim-broken", threads: 1))
        let outcome = await broken.authenticate(username: "alice", password: "alice-secret", remoteHost: nil)
        guard case .unavailable(let error) = outcome else {
            Issue.record("expected .unavailable, got \(outcome)")
            return
        }
        #expect(!error.description.contains("alice-secret"))
    }

    @Test func twentySignInsInParallelAllSucceed() async {
        let outcomes = await withTaskGroup(of: (Int, PAMOutcome).self) { group in
            for index in 1...20 {
                group.addTask {
                    (index, await pam.authenticate(username: "load\(index)", password: "load\(index)-secret", remoteHost: nil))
                }
            }
            var all: [Int: PAMOutcome] = [:]
            for await (index, outcome) in group { all[index] = outcome }
            return all
        }
        #expect(outcomes.count == 20)
        for (index, outcome) in outcomes {
            #expect(outcome == .authenticated(user: "load\(index)", messages: []))
        }
    }

    @Test func aSlowFailingSignInDoesNotDelayAnother() async {
        // pim-slow has pam_faildelay delay=3 s: a failure holds one pool thread for ~3 s.
        let slow = PAMAuthenticator(configuration: PAMConfiguration(serviceName: "pim-slow", threads: 2))
        let clock = ContinuousClock()
        let failing = Task { () -> (PAMOutcome, Duration, ContinuousClock.Instant) in
            let start = clock.now
            let outcome = await slow.authenticate(username: "alice", password: "wrong", remoteHost: nil)
            return (outcome, clock.now - start, clock.now)
        }
        try? await Task.sleep(for: .milliseconds(200))
        let other = await slow.authenticate(username: "bob", password: "bob-secret", remoteHost: nil)
        let otherEnded = clock.now
        let (failed, failedTook, failingEnded) = await failing.value
        #expect(other == .authenticated(user: "bob", messages: []))
        // Started after the failing call, yet done before its failure delay ran out: it did not
        // wait behind it (an absolute bound would only measure how busy the machine is).
        #expect(otherEnded < failingEnded)
        #expect(failed == .badCredentials)
        // Linux-PAM randomises the failure delay by up to ±25 % (pam_fail_delay(3)).
        #expect(failedTook >= .milliseconds(2_000 * 3 / 4 - 100))
    }
}

/// pam_acct_mgmt answers through the real libpam, from the test module of
/// scripts/test-auth/pam_pim_acct.c behind pam_matrix's password check.
@Suite(.enabled(if: Wrappers.active && ProcessInfo.processInfo.environment["PIM_AUTH_TEST_ACCOUNT_MODULE"] == "1",
                "needs scripts/test-auth-env.sh with a C compiler"))
struct PAMAccountStateTests {
    let pam = PAMAuthenticator(configuration: PAMConfiguration(serviceName: "pim-acct", threads: 2))

    @Test(arguments: [("expired", AccountProblem.accountExpired), ("mustchange", .passwordExpired),
                      ("pwexpired", .passwordExpired), ("locked", .denied)])
    func refusedAccountsSayWhyAfterTheRightPassword(user: String, problem: AccountProblem) async {
        #expect(await pam.authenticate(username: user, password: "\(user)-secret", remoteHost: nil) == .refused(problem, messages: []))
        #expect(await pam.authenticate(username: user, password: "wrong", remoteHost: nil) == .badCredentials)
    }

    @Test func usableAccountSignsIn() async {
        #expect(await pam.authenticate(username: "fine", password: "fine-secret", remoteHost: nil) == .authenticated(user: "fine", messages: []))
    }

    @Test func messagesNameTheProblem() {
        #expect(AccountProblem.accountExpired.message.contains("expired"))
        #expect(AccountProblem.passwordExpired.message.contains("password has expired"))
        #expect(AccountProblem.denied.message.contains("locked"))
    }
}
