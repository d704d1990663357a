import Foundation
import Synchronization
@testable import PIMAuth
import Testing

struct PAMThreadPoolTests {
    // Timing assertions compare with the blocked work's own duration (3 s), with wide margins:
    // the machine running the tests may be busy building.

    @Test func blockingWorkLeavesTheCooperativePoolFree() async {
        // More blocked jobs than the machine has cores: had they run on Swift's cooperative pool
        // (one thread per core), the sleeping task below could not resume until they finished.
        let pool = PAMThreadPool(threads: 8, name: "pim-test-coop")
        defer { pool.shutdown() }
        let finished = SharedCount()
        let jobs = (0..<8).map { _ in
            Task { await pool.run { usleep(3_000_000); finished.increment(); return true } }
        }
        try? await Task.sleep(for: .milliseconds(100))
        let ticker = Task.detached { try? await Task.sleep(for: .milliseconds(10)); return finished.value }
        #expect(await ticker.value == 0)
        for job in jobs { #expect(await job.value) }
    }

    @Test func aBlockedThreadDoesNotHoldUpTheOther() async {
        let pool = PAMThreadPool(threads: 2, name: "pim-test-block")
        defer { pool.shutdown() }
        let slowDone = SharedCount()
        let slow = Task { await pool.run { usleep(3_000_000); slowDone.increment(); return 1 } }
        try? await Task.sleep(for: .milliseconds(100))
        #expect(await pool.run { slowDone.value } == 0)
        #expect(await slow.value == 1)
    }

    @Test func afterShutdownWorkStillCompletes() async {
        let pool = PAMThreadPool(threads: 1, name: "pim-test-closed")
        pool.shutdown()
        #expect(await pool.run { 42 } == 42)
    }
}

/// A counter tasks and pool threads can share.
final class SharedCount: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}
