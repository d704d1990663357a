import Dispatch
import Foundation
import Synchronization

/// A few dedicated threads for calls that block (PAM's failure delay, libcurl, synchronous
/// file or database work), so they never occupy an event loop or Swift's cooperative pool.
///
/// ```swift
/// let pool = BlockingPool(threadCount: 4)
/// let ok = try await pool.run { pamAuthenticate(user, password) }
/// ```
public final class BlockingPool: Sendable {
    private let queue = Mutex<[@Sendable () -> Void]>([])
    private let available = DispatchSemaphore(value: 0)

    /// Starts `threadCount` threads that live as long as the process.
    public init(threadCount: Int, name: String = "pim-blocking") {
        for index in 0..<max(1, threadCount) {
            let thread = Thread { [self] in serve() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    private func serve() -> Never {
        while true {
            available.wait()
            let work = queue.withLock { $0.removeFirst() }
            work()
        }
    }

    /// Runs `work` on a pool thread and returns its result; the calling task is suspended, not
    /// blocked, meanwhile.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            queue.withLock { $0.append { continuation.resume(with: Result { try work() }) } }
            available.signal()
        }
    }

    /// ``run(_:)`` for work that cannot throw.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            queue.withLock { $0.append { continuation.resume(returning: work()) } }
            available.signal()
        }
    }
}
