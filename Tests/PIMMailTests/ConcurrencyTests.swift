import Foundation
import Synchronization
@testable import PIMMail
import Testing

struct ConcurrencyTests {
    @Test func blockingJobsRunOnTheDedicatedThreadWithItsOwnContext() async throws {
        let thread = BlockingThread<NSMutableArray>(name: "pim-test-smtp")
        defer { thread.shutdown() }
        for index in 0..<3 {
            let (name, count) = try await thread.run(make: { NSMutableArray() }) { context in
                context.add(index)
                // The kernel's name of the running thread (comm), not Foundation's idea of it.
                let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
                return (comm.trimmingCharacters(in: .newlines), context.count)
            }
            #expect(name == "pim-test-smtp")
            #expect(count == index + 1, "the context made on the thread is kept between jobs")
        }
    }

    /// More blocked sends than the cooperative pool has threads: if they ran on the pool, the
    /// small tasks below could never run until the 15 s watchdog opened the gate.
    @Test func blockedSendsDoNotHoldUpOtherTasks() async throws {
        let width = ProcessInfo.processInfo.activeProcessorCount + 1
        let gate = DispatchSemaphore(value: 0)
        let blocking = Counter()
        let threads = (0..<width).map { BlockingThread<Int>(name: "pim-test-blk\($0)") }
        defer { threads.forEach { $0.shutdown() } }
        let watchdog = Thread {
            Thread.sleep(forTimeInterval: 15)
            for _ in 0..<width { gate.signal() }
        }
        watchdog.start()
        let started = ContinuousClock.now
        let blocked = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for thread in threads {
                    group.addTask {
                        try await thread.run(make: { 0 }) { _ in
                            blocking.increment()
                            gate.wait()
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        while blocking.value < width { try await Task.sleep(for: .milliseconds(10)) }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<64 { group.addTask { try? await Task.sleep(for: .milliseconds(10)) } }
        }
        let elapsed = ContinuousClock.now - started
        for _ in 0..<width { gate.signal() }
        try await blocked.value
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }

    @Test func aJobAfterShutdownIsRefusedNotLost() async {
        let thread = BlockingThread<Int>(name: "pim-test-stop")
        thread.shutdown()
        await #expect(throws: MailError.self) { try await thread.run(make: { 0 }) { _ in 1 } }
    }

    @Test func aSignalRaisedBeforeTheWaitIsKept() async {
        let signal = WakeSignal()
        signal.signal()
        let started = ContinuousClock.now
        await signal.wait(timeout: .seconds(10))
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func waitEndsAtTheTimeoutWithoutASignalAndAtOnceWithOne() async {
        let signal = WakeSignal()
        var started = ContinuousClock.now
        await signal.wait(timeout: .milliseconds(100))
        #expect(ContinuousClock.now - started >= .milliseconds(100))
        started = ContinuousClock.now
        Task {
            try? await Task.sleep(for: .milliseconds(50))
            signal.signal()
        }
        await signal.wait(timeout: .seconds(10))
        #expect(ContinuousClock.now - started < .seconds(2))
    }
}

final class Counter: Sendable {
    private let state = Mutex(0)
    func increment() { state.withLock { $0 += 1 } }
    var value: Int { state.withLock { $0 } }
}
