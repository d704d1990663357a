import Foundation
public import GRDB
import Glibc
import Synchronization

/// Threads of their own for database reads reached from async code.
///
/// GRDB's async `read` keeps its pooled reader connection until the awaiting task resumes, and
/// GRDB's synchronous calls block the calling thread while they wait for a connection. Mixed on
/// Swift's cooperative pool (as wide as the machine has cores) the two deadlock under load:
/// every cooperative thread waits for a reader that only a suspended task can give back, and
/// that task needs a cooperative thread to resume. `readOffPool` runs the synchronous call on
/// these threads and resumes only once the connection is back in its pool, so no task ever
/// holds a connection while suspended. The threads are not the cooperative pool's, so a
/// database wait never starves it either. Writes go through `WriteCommitter` (its own thread).
///
/// A fixed few threads, each with its own read connection per store (`PIMStore.read`, so none
/// waits for a connection another holds), take reads from one queue: a thread that finishes a read
/// takes the next waiting one without sleeping, so under load reads cost no extra wake-ups,
/// and a burst of requests cannot pile up a thread per waiting read.
/// A page's session load (`runOffPool`) may also wait here for its session's write to commit
/// (`WriteCommitter.writeAndWait`); the commit thread never needs these threads, so it ends.
final class ReadThreads: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var head = 0
        /// Threads about to wait, or waiting, for `wake`.
        var sleepers = 0
    }

    /// One per core, between 2 and 4. A read seldom waits for the disk (the file is in the page
    /// cache), so threads beyond the cores add little throughput and cost a connection each,
    /// with its caches. On 2 cores, back-to-back runs of Benchmarks/portal.sh with 2 and 4
    /// threads: My roles 8,400 and 10,600 req/s, p99 51 and 47 ms, peak RSS 23.0 and 26.0 MB;
    /// three other runs with 2 threads: 9,100–10,600 req/s, p99 36–45 ms. The shared host's
    /// load moves these figures as much as the thread count does.
    static let count = max(2, min(4, ProcessInfo.processInfo.activeProcessorCount))
    static let shared = ReadThreads(count: count)

    /// Each thread's index (plus one, so that 0 means "not a read thread").
    private static let indexKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "no thread-specific key for the read threads")
        return key
    }()

    /// The index (0..<count) of the read thread running the caller, nil on any other thread.
    static var currentIndex: Int? {
        let tag = Int(bitPattern: pthread_getspecific(indexKey))
        return tag == 0 ? nil : tag - 1
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    private init(count: Int) {
        for index in 0..<count {
            let thread = Thread { [self] in
                pthread_setspecific(Self.indexKey, UnsafeRawPointer(bitPattern: index + 1))
                serve()
            }
            thread.name = "pim-read-\(index)"
            thread.start()
        }
    }

    func run(_ job: @escaping @Sendable () -> Void) {
        let signal = state.withLock { state in
            state.jobs.append(job)
            guard state.sleepers > 0 else { return false }
            state.sleepers -= 1
            return true
        }
        if signal { wake.signal() }
    }

    private func serve() -> Never {
        while true {
            let job = state.withLock { state -> (@Sendable () -> Void)? in
                guard state.head < state.jobs.count else {
                    state.jobs.removeAll(keepingCapacity: true)
                    state.head = 0
                    state.sleepers += 1
                    return nil
                }
                let job = state.jobs[state.head]
                state.head += 1
                // Under constant load the queue never empties: drop the taken jobs now and then.
                if state.head >= 64, state.head * 2 >= state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return job
            }
            if let job { job() } else { wake.wait() }
        }
    }
}

/// Synchronous database (and NSS) work of a request run on `ReadThreads`, off the cooperative
/// pool: for work that reads in one transaction of its own making (e.g. a page's session load).
public func runOffPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        ReadThreads.shared.run { continuation.resume(with: Result { try work() }) }
    }
}

extension DatabaseReader {
    /// A read transaction run off the cooperative pool (see `ReadThreads`).
    public func readOffPool<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await runOffPool { try self.read(value) }
    }
}

extension PIMStore {
    /// A read transaction run off the cooperative pool, on the read thread's own connection
    /// (see `read(_:)`).
    public func readOffPool<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await runOffPool { try self.read(value) }
    }
}
