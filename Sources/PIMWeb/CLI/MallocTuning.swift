import CMalloc
import Foundation
import Synchronization

/// glibc malloc settings for the long-running server.
enum MallocTuning {
    /// Bounds glibc's malloc arenas.
    ///
    /// glibc gives a thread that finds the arenas in use one of its own, up to 8 per core, and
    /// memory freed into an arena is reused only by the threads attached to it. Under load the
    /// server's threads (event loops, database threads, PAM pool) spread their short-lived
    /// request buffers over four or five arenas of 3–6 MB each: peak RSS in the load of
    /// Benchmarks/portal.sh was 65 MB with glibc's default and 54 MB with two arenas. One arena
    /// per event loop (at least two) keeps lock contention low, since the loops do most of the
    /// allocating. mallopt(3): M_ARENA_MAX.
    static func limitArenas(eventLoops: Int) {
        _ = mallopt(M_ARENA_MAX, Int32(clamping: max(2, eventLoops)))
    }

    /// How often `startTrimming` gives free memory back.
    static let trimInterval: TimeInterval = 0.25

    /// Gives the pages of freed memory back to the system every `interval`, on a thread of its
    /// own, until stopped (the server never stops it).
    ///
    /// glibc returns memory on `free` only from the top of an arena. A burst of requests leaves
    /// its buffers freed between longer-lived blocks (page caches, sessions), and the arenas keep
    /// those pages: under Benchmarks/portal.sh the arenas held 11 MB for 6 MB in use.
    /// malloc_trim(3) releases every whole free page (madvise, the blocks stay where they are);
    /// one pass takes well under a millisecond. Peak RSS under the benchmark fell by 1.7 MB, with
    /// the same throughput; four passes a second instead of one keep the peak between two
    /// passes lower again.
    @discardableResult
    static func startTrimming(every interval: TimeInterval = trimInterval) -> MallocTrimmer {
        MallocTrimmer(interval: interval)
    }
}

/// The thread of `MallocTuning.startTrimming`.
final class MallocTrimmer: Sendable {
    private let stopped = Atomic<Bool>(false)

    fileprivate init(interval: TimeInterval) {
        let thread = Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: interval)
                _ = malloc_trim(0)
            }
        }
        thread.name = "pim-malloc-trim"
        thread.start()
    }

    /// Ends the thread after its current sleep.
    func stop() { stopped.store(true, ordering: .relaxed) }
}
