import Foundation
import PIMMail
import Testing

struct RetryPolicyTests {
    let policy = RetryPolicy()
    let created = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func delaysDoubleFrom30SecondsAndStopAtOneHour() {
        let delays = (1...10).map { policy.delay(afterAttempt: $0) }
        #expect(delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600].map { Duration.seconds($0) })
        #expect(policy.delay(afterAttempt: 500) == .seconds(3600))
    }

    @Test func aFailureWithinTheDayIsRetriedAfterTheDelay() {
        let now = created.addingTimeInterval(100)
        #expect(policy.decide(attempts: 3, createdAt: created, now: now, permanent: false) == .retry(at: now.addingTimeInterval(120)))
    }

    @Test func theLastRetryHappensAtTheDeadlineAndThenTheRowFails() {
        let nearEnd = created.addingTimeInterval(86_400 - 10)
        #expect(policy.decide(attempts: 30, createdAt: created, now: nearEnd, permanent: false) == .retry(at: created.addingTimeInterval(86_400)))
        #expect(policy.decide(attempts: 31, createdAt: created, now: created.addingTimeInterval(86_400), permanent: false) == .fail)
    }

    @Test func permanentErrorsFailAtOnce() {
        #expect(policy.decide(attempts: 1, createdAt: created, now: created, permanent: true) == .fail)
    }
}
