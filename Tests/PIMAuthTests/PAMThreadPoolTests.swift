import Foundation
@testable import PIMAuth
import Testing

struct PAMThreadPoolTests {
    @Test func workRunsOnThePoolsOwnThreads() async {
        let pool = PAMThreadPool(threads: 2, name: "pim-test-pool")
        defer { pool.shutdown() }
        let name = await pool.run { Thread.current.name ?? "" }
        #expect(name.hasPrefix("pim-test-pool-"))
    }

    @Test func aBlockedThreadDoesNotHoldUpTheOther() async {
        let pool = PAMThreadPool(threads: 2, name: "pim-test-block")
        defer { pool.shutdown() }
        let clock = ContinuousClock()
        let slow = Task { await pool.run { usleep(1_500_000); return 1 } }
        try? await Task.sleep(for: .milliseconds(100))
        let start = clock.now
        #expect(await pool.run { 2 } == 2)
        #expect(clock.now - start < .milliseconds(500))
        #expect(await slow.value == 1)
    }

    @Test func afterShutdownWorkStillCompletes() async {
        let pool = PAMThreadPool(threads: 1, name: "pim-test-closed")
        pool.shutdown()
        #expect(await pool.run { 42 } == 42)
    }
}
