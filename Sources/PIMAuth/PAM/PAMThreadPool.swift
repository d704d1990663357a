import Foundation
import Synchronization

/// PIMAuth's own few threads for blocking C calls (PAM sign-ins can sleep for seconds in a
/// failure delay). Work submitted here never occupies Swift's cooperative pool, so a slow
/// sign-in cannot stall other requests; the caller simply awaits the result. (PIMWeb has a
/// similar pool for its own use; PIMAuth cannot import PIMWeb, and keeps this one internal.)
final class PAMThreadPool: Sendable {
    private struct Queue: ~Copyable {
        var jobs: [@Sendable () -> Void] = []
        var closed = false
    }

    private let queue = Mutex(Queue())
    /// Counts queued jobs (plus one wake-up per thread at shutdown).
    private let available = DispatchSemaphore(value: 0)
    let threadCount: Int

    /// Starts `threads` threads (at least one) named `name-N`.
    init(threads: Int, name: String) {
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            let threadName = "\(name)-\(index)"
            // Named from inside: on Linux a name set before start() is not applied.
            let thread = Thread { [self] in
                Thread.current.name = threadName
                self.runLoop()
            }
            thread.start()
        }
    }

    /// Runs `work` on one of the pool's threads and returns its result.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let accepted = queue.withLock { state -> Bool in
                if state.closed { return false }
                state.jobs.append { continuation.resume(returning: work()) }
                return true
            }
            if accepted {
                available.signal()
            } else {
                // After shutdown there is no thread left: run inline rather than hang forever.
                continuation.resume(returning: work())
            }
        }
    }

    /// Lets the threads finish queued work and exit.
    func shutdown() {
        let wasOpen = queue.withLock { state -> Bool in
            defer { state.closed = true }
            return !state.closed
        }
        guard wasOpen else { return }
        for _ in 0..<threadCount { available.signal() }
    }

    private func runLoop() {
        while true {
            available.wait()
            let job: (@Sendable () -> Void)? = queue.withLock { state in
                state.jobs.isEmpty ? nil : state.jobs.removeFirst()
            }
            if let job {
                job()
            } else if queue.withLock({ $0.closed }) {
                return
            }
        }
    }
}
