import Foundation
import GRDB
import Synchronization
import Testing
@testable import PIMCore

/// The write-ahead log stays bounded under a steady stream of writes and reads, and the
/// restart that bounds it never waits long for a reader. In the serial pass of scripts/test.sh:
/// a restart waits 20 ms for readers, which a crowded machine can keep descheduled longer.
struct CheckpointTests {
    static func store(restartPages: Int32) throws -> PIMStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pim-checkpoint-\(UUID().uuidString)")
        let store = try PIMStore.open(path: folder.appendingPathComponent("pim.sqlite").path,
                                      checkpointPages: (start: 50, restart: restartPages))
        try store.pool.write { db in try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)") }
        return store
    }

    static func logSize(_ store: PIMStore) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: store.path + "-wal")[.size] as? Int) ?? 0
    }

    /// Threads that read in a loop, back to back, until stopped: some reader always holds a
    /// snapshot, as under load.
    final class BusyReaders: Sendable {
        private let stopped = Atomic<Bool>(false)
        private let finished = DispatchGroup()
        let reads = Atomic<Int>(0)

        init(_ store: PIMStore, threads: Int) {
            for _ in 0..<threads {
                finished.enter()
                Thread.detachNewThread { [self] in
                    while !stopped.load(ordering: .relaxed) {
                        _ = try? store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") }
                        reads.add(1, ordering: .relaxed)
                    }
                    finished.leave()
                }
            }
        }

        func stop() {
            stopped.store(true, ordering: .relaxed)
            finished.wait()
        }
    }

    /// Writes `jobs` writes of 8 rows of 3 KB (about 8 pages each) while two threads read,
    /// and returns the largest log seen.
    static func writeUnderReads(_ store: PIMStore, jobs: Int) async throws -> Int {
        let readers = BusyReaders(store, threads: 2)
        let text = String(repeating: "x", count: 3000)
        var largest = 0
        for job in 0..<jobs {
            try await store.write { db in
                for row in 0..<8 { try db.execute(sql: "INSERT INTO t (v) VALUES (?)", arguments: ["\(job)-\(row)-\(text)"]) }
            }
            largest = max(largest, logSize(store))
        }
        readers.stop()
        #expect(readers.reads.load(ordering: .relaxed) > 0)
        return largest
    }

    /// 500 writes put about 4,000 pages (16 MB) through the log. Without restarts the log
    /// keeps them all, since the readers never let a PASSIVE checkpoint start it over.
    @Test func theLogStartsOverUnderSteadyWritesAndReads() async throws {
        let store = try Self.store(restartPages: 200)
        let largest = try await Self.writeUnderReads(store, jobs: 500)
        #expect(store.checkpointer.restarts > 0)
        #expect(largest < 1_000 * 4096, "the log reached \(largest / 4096) pages")
        #expect(try await store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 4000)
    }

    /// The same load with restarts off: the log grows with every write. This is what the
    /// test above guards against, shown on this machine's SQLite.
    @Test func withoutRestartsTheLogGrowsUnderTheSameLoad() async throws {
        let store = try Self.store(restartPages: .max)
        let largest = try await Self.writeUnderReads(store, jobs: 500)
        #expect(store.checkpointer.restarts == 0)
        #expect(largest >= 2_000 * 4096, "the log reached only \(largest / 4096) pages")
    }

    /// A reader that keeps its snapshot (an export) makes the restart give up after its short
    /// wait; the writes go on meanwhile, and the log starts over once the reader is done.
    @Test func aLongReaderDelaysTheRestartWithoutBlockingWrites() async throws {
        let store = try Self.store(restartPages: 100)
        let text = String(repeating: "y", count: 3000)
        func write(_ count: Int) async throws {
            for job in 0..<count {
                try await store.write { db in
                    for row in 0..<8 { try db.execute(sql: "INSERT INTO t (v) VALUES (?)", arguments: ["\(job)-\(row)-\(text)"]) }
                }
            }
        }
        // Start from an empty log with nothing under way, then write fewer pages than start a
        // checkpoint: the reader's snapshot is in the log.
        store.checkpointer.waitUntilIdle()
        try await store.pool.writeWithoutTransaction { _ = try $0.checkpoint(.truncate) }
        let restartsBefore = store.checkpointer.restarts
        let attemptsBefore = store.checkpointer.restartAttempts
        try await write(3)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let reader = Thread {
            _ = try? store.pool.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM t")
                holding.signal()
                release.wait()
            }
        }
        reader.start()
        holding.wait()
        let start = ContinuousClock.now
        try await write(100)
        let elapsed = ContinuousClock.now - start
        #expect(store.checkpointer.restarts == restartsBefore)
        // About 800 pages went to the log: refused restarts were tried again only every 25
        // pages (a quarter of the restart size), not after each of the 100 commits.
        let attempts = store.checkpointer.restartAttempts - attemptsBefore
        #expect(attempts >= 1 && attempts <= 50, "\(attempts) restart attempts")
        #expect(Self.logSize(store) >= 700 * 4096, "the held snapshot keeps the log")
        release.signal()
        try await write(100)
        let deadline = ContinuousClock.now + .seconds(10)
        while store.checkpointer.restarts == restartsBefore, ContinuousClock.now < deadline {
            try await write(1)
        }
        #expect(store.checkpointer.restarts > restartsBefore)
        // Each refusal waited at most the restart's short wait, never the 10 s busy timeout.
        #expect(elapsed < .seconds(10), "100 writes took \(elapsed)")
    }
}
