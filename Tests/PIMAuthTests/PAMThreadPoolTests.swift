import Foundation
@testable import PIMAuth
import Testing

struct PAMThreadPoolTests {
    @Test func blockingWorkLeavesTheCooperativePoolFree() async {
        // More blocked jobs than the machine has cores: had they run on Swift's cooperative pool
        // (one thread per core), the sleeping task below could not resume until they finished.
        let pool = PAMThreadPool(threads: 8, name: "pim-test-coop")
        defer { pool.shutdown() }
        let clock = ContinuousClock()
        let jobs = (0..<8).map { _ in Task { await pool.run { usleep(1_500_000); return true } } }
        try? await Task.sleep(for: .milliseconds(100))
        let start = clock.now
        let ticker = Task.detached { try? await Task.sleep(for: .milliseconds(10)); return clock.now }
        let resumedAt = await ticker.value
        #expect(resumedAt - start < .milliseconds(700))
        for job in jobs { #expect(await job.value) }
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
