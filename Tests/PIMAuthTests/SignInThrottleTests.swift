import Foundation
@testable import PIMAuth
import Testing

struct SignInThrottleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func fiveFailuresAreFreeThenBackOffDoubles() {
        var throttle = SignInThrottle()
        for i in 0..<5 {
            #expect(throttle.check(account: "alice", address: nil, now: start) == .allowed)
            throttle.recordFailure(account: "alice", address: nil, now: start.addingTimeInterval(Double(i)))
        }
        let last = start.addingTimeInterval(4)
        #expect(throttle.check(account: "alice", address: nil, now: last) == .throttled(until: last.addingTimeInterval(1)))
        throttle.recordFailure(account: "alice", address: nil, now: last.addingTimeInterval(1))
        #expect(throttle.check(account: "alice", address: nil, now: last.addingTimeInterval(1)) == .throttled(until: last.addingTimeInterval(3)))
        // Other accounts are untouched, and the name's case does not buy extra attempts.
        #expect(throttle.check(account: "bob", address: nil, now: last) == .allowed)
        #expect(throttle.check(account: "ALICE", address: nil, now: last.addingTimeInterval(1)) != .allowed)
    }

    @Test func backOffIsCappedAndSuccessResetsIt() {
        var throttle = SignInThrottle()
        var now = start
        for _ in 0..<40 {
            throttle.recordFailure(account: "alice", address: nil, now: now)
            now.addTimeInterval(1)
        }
        guard case .throttled(let until) = throttle.check(account: "alice", address: nil, now: now) else {
            Issue.record("expected throttling")
            return
        }
        #expect(until.timeIntervalSince(now) <= 15 * 60)
        throttle.recordSuccess(account: "alice", now: now)
        #expect(throttle.check(account: "alice", address: nil, now: now) == .allowed)
    }

    @Test func neverMoreThanOneHundredFailuresPerHour() {
        var policy = ThrottlePolicy()
        policy.maxDelay = 0 // isolate the hourly ceiling from the back-off
        var throttle = SignInThrottle(policy: policy)
        for i in 0..<100 {
            throttle.recordFailure(account: "alice", address: nil, now: start.addingTimeInterval(Double(i * 30)))
        }
        let now = start.addingTimeInterval(100 * 30)
        #expect(throttle.check(account: "alice", address: nil, now: now) == .throttled(until: start.addingTimeInterval(3600)))
        #expect(throttle.check(account: "alice", address: nil, now: start.addingTimeInterval(3600)) == .allowed)
    }

    @Test func sourceAddressIsThrottledAcrossAccounts() {
        var throttle = SignInThrottle()
        for i in 0..<20 {
            throttle.recordFailure(account: "user\(i)", address: "198.51.100.9", now: start)
        }
        #expect(throttle.check(account: "fresh", address: "198.51.100.9", now: start) != .allowed)
        #expect(throttle.check(account: "fresh", address: "198.51.100.10", now: start) == .allowed)
    }

    @Test func trackedKeysAreBounded() {
        var policy = ThrottlePolicy()
        policy.maxTrackedKeys = 50
        var throttle = SignInThrottle(policy: policy)
        for i in 0..<500 {
            throttle.recordFailure(account: "spray\(i)", address: nil, now: start.addingTimeInterval(Double(i)))
        }
        #expect(throttle.records.count <= 50)
    }

    @Test func messageSaysWhenToRetry() {
        let decision = SignInThrottle.Decision.throttled(until: start.addingTimeInterval(150))
        #expect(decision.message(now: start) == "Too many failed sign-ins. Try again in 3 minutes.")
        #expect(SignInThrottle.Decision.throttled(until: start.addingTimeInterval(1)).message(now: start)
                == "Too many failed sign-ins. Try again in 1 second.")
        #expect(SignInThrottle.Decision.allowed.message(now: start) == nil)
    }
}
