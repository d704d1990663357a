import Dispatch
import Foundation
import Synchronization
import Testing
@testable import PIMWeb

/// Work handed to an event loop from other threads (a database thread resuming a request task,
/// the group-commit thread answering a POST) must wake the loop every time. A lost wake-up
/// leaves the work waiting for the loop's next tick, which here is an hour away: the test
/// then fails on its 30 s wait instead of passing slowly.
struct EventLoopWakeTests {
    @Test func everyClosureHandedOverFromOtherThreadsRuns() async throws {
        let loop = try EventLoop(tickInterval: .seconds(3600))
        loop.start(name: "wake-test")
        let threads = 8
        let rounds = 5_000
        let lost = Mutex<Int>(0)
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            Thread {
                let ran = DispatchSemaphore(value: 0)
                for _ in 0..<rounds {
                    loop.execute { ran.signal() }
                    if ran.wait(timeout: .now() + 30) == .timedOut {
                        lost.withLock { $0 += 1 }
                        break
                    }
                }
                group.leave()
            }.start()
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                group.wait()
                continuation.resume()
            }
        }
        await loop.stop()
        #expect(lost.withLock { $0 } == 0)
    }
}
