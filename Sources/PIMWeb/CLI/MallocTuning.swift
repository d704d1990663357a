import CMalloc

/// Bounds glibc's malloc arenas for the long-running server.
///
/// glibc gives a thread that finds the arenas in use one of its own, up to 8 per core, and
/// memory freed into an arena is reused only by the threads attached to it. Under load the
/// server's threads (event loops, database threads, PAM pool) spread their short-lived request
/// buffers over four or five arenas of 3–6 MB each: peak RSS in the load of
/// Benchmarks/portal.sh was 65 MB with glibc's default and 54 MB with two arenas. One arena per
/// event loop (at least two) keeps lock contention low, since the loops do most of the
/// allocating. mallopt(3): M_ARENA_MAX.
enum MallocArenas {
    static func limit(eventLoops: Int) {
        _ = mallopt(M_ARENA_MAX, Int32(clamping: max(2, eventLoops)))
    }
}
