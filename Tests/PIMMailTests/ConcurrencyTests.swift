import Foundation
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

    @Test func aBlockedSendDoesNotHoldUpOtherTasks() async throws {
        let thread = BlockingThread<Int>(name: "pim-test-block")
        defer { thread.shutdown() }
        let started = ContinuousClock.now
        async let blocked: Void = thread.run(make: { 0 }) { _ in usleep(1_500_000) }
        // Many small tasks still finish while the thread sleeps in a blocking call.
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<64 { group.addTask { try? await Task.sleep(for: .milliseconds(10)) } }
        }
        #expect(ContinuousClock.now - started < .milliseconds(1_200))
        try await blocked
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
