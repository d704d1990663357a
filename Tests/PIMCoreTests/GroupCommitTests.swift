import Foundation
import GRDB
import Synchronization
import Testing
@testable import PIMCore

/// Concurrent writes share one transaction (one fsync) while each stays all-or-nothing on its
/// own, and nobody hears "done" before the shared COMMIT.
struct GroupCommitTests {
    /// Counts the COMMITs of the writer connection.
    final class CommitCounter: TransactionObserver, Sendable {
        private let value = Mutex(0)
        var commits: Int { value.withLock { $0 } }
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { value.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    struct Refused: Error, Equatable {}

    static func store() throws -> PIMStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pim-commit-\(UUID().uuidString)")
        let store = try PIMStore.open(path: folder.appendingPathComponent("pim.sqlite").path)
        try store.pool.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
            try db.execute(sql: "CREATE TABLE parent (id INTEGER PRIMARY KEY)")
            try db.execute(sql: """
                CREATE TABLE child (id INTEGER PRIMARY KEY,
                  parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)
                """)
        }
        return store
    }

    /// Holds the committer's thread inside a one-job batch until `jobs` more writes wait, so
    /// the next batch is exactly those jobs.
    static func withHeldCommitter(_ store: PIMStore, jobs: Int, _ start: () async throws -> Void) async throws {
        let release = DispatchSemaphore(value: 0)
        let holding = Mutex(false)
        let holder = Task {
            try await store.write { _ in
                holding.withLock { $0 = true }
                release.wait()
            }
        }
        while !holding.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(1)) }
        try await start()
        try await waitUntil(store, waiting: jobs)
        release.signal()
        try await holder.value
    }

    /// Polls (without holding a thread) until `waiting` writes queue behind the held batch.
    static func waitUntil(_ store: PIMStore, waiting: Int) async throws {
        while store.committer.waitingJobs < waiting { try await Task.sleep(for: .milliseconds(1)) }
    }

    static func values(_ store: PIMStore, _ table: String = "t") throws -> [Int64] {
        try store.pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM \(table) ORDER BY id") }
    }

    /// GRDB's pool sets NORMAL on its writer when it sets up WAL; a COMMIT is durable against
    /// power loss only with FULL (the log is fsynced at every commit).
    @Test func theWriterCommitsWithSynchronousFull() async throws {
        let store = try Self.store()
        let level = try await store.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(level == 2)
    }

    /// The writer never checkpoints (its WAL hook replaces SQLite's automatic checkpoint); the
    /// checkpointer's own connection copies the log into the database file once it passes
    /// 1,000 pages, and every row stays readable.
    @Test func theLogIsCheckpointedOffTheWriter() async throws {
        let store = try Self.store()
        let databaseFile = store.path
        func fileSize() throws -> Int { try FileManager.default.attributesOfItem(atPath: databaseFile)[.size] as? Int ?? 0 }
        let before = try fileSize()
        let text = String(repeating: "x", count: 3000)
        for batch in 0..<40 {
            try await store.write { db in
                for row in 0..<50 { try db.execute(sql: "INSERT INTO t (v) VALUES (?)", arguments: ["\(batch)-\(row)-\(text)"]) }
            }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while try store.checkpointer.completed == 0 || fileSize() < before + 4_000_000, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(store.checkpointer.completed > 0)
        #expect(try fileSize() >= before + 4_000_000, "the rows' pages were copied into the database file")
        #expect(try Self.values(store).count == 2000)
        // SQLite reports 0 when the writer's WAL hook is not its own automatic checkpoint.
        let automatic = try await store.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
        #expect(automatic == 0)
    }

    @Test func concurrentWritesShareCommitsAndEachGetsItsOwnResult() async throws {
        let store = try Self.store()
        let counter = CommitCounter()
        store.pool.add(transactionObserver: counter)
        let jobs = 300
        let results = try await withThrowingTaskGroup(of: (Int, Int64).self) { group in
            for index in 0..<jobs {
                group.addTask {
                    let id = try await store.write { db in
                        try db.execute(sql: "INSERT INTO t (v) VALUES (?)", arguments: ["job \(index)"])
                        return db.lastInsertedRowID
                    }
                    return (index, id)
                }
            }
            var all: [(Int, Int64)] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.count == jobs)
        let stored = try await store.pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, v FROM t").map { ($0[0] as Int64, $0[1] as String) })
        }
        for (index, id) in results { #expect(stored[id] == "job \(index)") }
        #expect(Set(results.map(\.1)).count == jobs)
        #expect(counter.commits < jobs, "\(counter.commits) commits for \(jobs) writes")
    }

    @Test func aBatchIsOneCommit() async throws {
        let store = try Self.store()
        let counter = CommitCounter()
        store.pool.add(transactionObserver: counter)
        let tasks = Mutex<[Task<Int64, any Error>]>([])
        try await Self.withHeldCommitter(store, jobs: 10) {
            for index in 0..<10 {
                let task = Task { try await store.write { db in
                    try db.execute(sql: "INSERT INTO t (id, v) VALUES (?, 'x')", arguments: [index + 1])
                    return Int64(index + 1)
                } }
                tasks.withLock { $0.append(task) }
            }
        }
        for task in tasks.withLock({ $0 }) { _ = try await task.value }
        #expect(counter.commits == 2, "the holder's batch, then one for the ten")
        #expect(try Self.values(store) == Array(1...10))
    }

    /// Runs three jobs as one batch: `first`, `middle` (which may throw), `last`; returns their tasks.
    static func batchOfThree(_ store: PIMStore, middle: @escaping @Sendable (Database) throws -> Void) async throws
        -> [Task<Void, any Error>] {
        let tasks = Mutex<[Task<Void, any Error>]>([])
        try await Self.withHeldCommitter(store, jobs: 3) {
            let first = Task { try await store.write { db in try db.execute(sql: "INSERT INTO t (v) VALUES ('first')") } }
            tasks.withLock { $0.append(first) }
            try await Self.waitUntil(store, waiting: 1)
            let failing = Task { try await store.write(middle) }
            tasks.withLock { $0.append(failing) }
            try await Self.waitUntil(store, waiting: 2)
            let last = Task {
                // Records what it saw: the first job's row, never the failed one's.
                try await store.write { db in
                    let seen = try String.fetchAll(db, sql: "SELECT v FROM t ORDER BY id").joined(separator: ",")
                    try db.execute(sql: "INSERT INTO t (v) VALUES (?)", arguments: ["last saw \(seen)"])
                }
            }
            tasks.withLock { $0.append(last) }
        }
        return tasks.withLock { $0 }
    }

    static func texts(_ store: PIMStore) throws -> [String] {
        try store.pool.read { try String.fetchAll($0, sql: "SELECT v FROM t ORDER BY id") }
    }

    /// A job that changed rows and then threw is undone by running the batch again, each job
    /// in a savepoint: the jobs before and after it keep their changes and results.
    @Test func aThrowingJobRollsBackOnlyItsOwnChanges() async throws {
        let store = try Self.store()
        let all = try await Self.batchOfThree(store) { db in
            try db.execute(sql: "INSERT INTO t (v) VALUES ('failed')")
            try db.execute(sql: "UPDATE t SET v = 'changed by the failed job' WHERE v = 'first'")
            throw Refused()
        }
        try await all[0].value
        await #expect(throws: Refused.self) { try await all[1].value }
        try await all[2].value
        #expect(try Self.texts(store) == ["first", "last saw first"])
        #expect(store.committer.replays == 1)
    }

    /// Most refusals come before any change: nothing to undo, and the batch is not run again.
    @Test func aJobThatThrowsBeforeChangingARowCostsNoReplay() async throws {
        let store = try Self.store()
        let all = try await Self.batchOfThree(store) { db in
            _ = try Int.fetchAll(db, sql: "SELECT id FROM t")
            // A statement that fails leaves no change behind either.
            try db.execute(sql: "INSERT INTO t (id, v) VALUES (NULL, NULL)")
        }
        try await all[0].value
        await #expect(throws: DatabaseError.self) { try await all[1].value }
        try await all[2].value
        #expect(try Self.texts(store) == ["first", "last saw first"])
        #expect(store.committer.replays == 0)
    }

    /// After a replay the next batches start in savepoints: a second such failure within the
    /// period is undone by its own savepoint, without running its batch again; once the period
    /// is over, jobs run bare again and the next such failure replays its batch.
    @Test(arguments: [(UInt64(3_600_000_000_000), 1), (UInt64(0), 2)])
    func afterAReplayBatchesUseSavepointsForAWhile(period: UInt64, replays: Int) async throws {
        let store = try Self.store()
        store.committer.savepointPeriod.store(period, ordering: .relaxed)
        let changeAndThrow: @Sendable (Database) throws -> Void = { db in
            try db.execute(sql: "INSERT INTO t (v) VALUES ('failed')")
            throw Refused()
        }
        for _ in 0..<2 {
            let all = try await Self.batchOfThree(store, middle: changeAndThrow)
            try await all[0].value
            await #expect(throws: Refused.self) { try await all[1].value }
            try await all[2].value
        }
        #expect(store.committer.replays == replays)
        #expect(try Self.texts(store) == ["first", "last saw first", "first", "last saw first,last saw first,first"])
    }

    @Test func aFailingCommitFailsEveryJobOfTheBatch() async throws {
        let store = try Self.store()
        let tasks = Mutex<[Task<Void, any Error>]>([])
        try await Self.withHeldCommitter(store, jobs: 3) {
            for sql in ["INSERT INTO parent VALUES (1)",
                        // A deferred foreign key is checked at COMMIT: the batch cannot commit.
                        "INSERT INTO child VALUES (1, 99)",
                        "INSERT INTO t VALUES (1, 'x')"] {
                let task = Task { try await store.write { db in try db.execute(sql: sql) } }
                tasks.withLock { $0.append(task) }
            }
        }
        for task in tasks.withLock({ $0 }) {
            await #expect(throws: DatabaseError.self) { try await task.value }
        }
        #expect(try Self.values(store, "parent").isEmpty)
        #expect(try Self.values(store, "child").isEmpty)
        #expect(try Self.values(store).isEmpty)
        // The next batch starts clean.
        try await store.write { db in try db.execute(sql: "INSERT INTO t VALUES (2, 'y')") }
        #expect(try Self.values(store) == [2])
    }

    @Test func aJobThatEndsTheTransactionFailsTheBatchAndNothingRunsInAutocommit() async throws {
        let store = try Self.store()
        let tasks = Mutex<[Task<Void, any Error>]>([])
        try await Self.withHeldCommitter(store, jobs: 3) {
            for sql in ["INSERT INTO t VALUES (1, 'a')", "ROLLBACK", "INSERT INTO t VALUES (3, 'c')"] {
                let task = Task { try await store.write { db in try db.execute(sql: sql) } }
                tasks.withLock { $0.append(task) }
                try await Self.waitUntil(store, waiting: tasks.withLock { $0.count })
            }
        }
        for task in tasks.withLock({ $0 }) {
            await #expect(throws: (any Error).self) { try await task.value }
        }
        #expect(try Self.values(store).isEmpty)
    }

    @Test func synchronousCallersOffThePoolWaitForTheCommit() async throws {
        let store = try Self.store()
        let id = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int64, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    try store.committer.writeAndWait { db in
                        try db.execute(sql: "INSERT INTO t (v) VALUES ('sync')")
                        return db.lastInsertedRowID
                    }
                })
            }
        }
        #expect(try Self.values(store) == [id])
    }

    /// A job that waits for a write of its own would wait for its own batch forever: it traps.
    @Test func waitingForAWriteInsideAJobTraps() async {
        await #expect(processExitsWith: .failure) {
            let store = try GroupCommitTests.store()
            _ = try await store.write { _ in try store.committer.writeAndWait { _ in 1 } }
        }
    }

    /// Use cases batched together still form one unbroken hash chain, failed ones included.
    @Test func theAuditChainStaysIntactUnderConcurrentUseCases() async throws {
        let f = try await Fixture.make()
        let counter = CommitCounter()
        f.store.pool.add(transactionObserver: counter)
        var roles: [Role] = []
        for index in 0..<12 {
            let role = try await f.role("Role \(index)") { $0.activation.requireMFA = false }
            try await f.eligible(.user("alice"), role)
            try await f.eligible(.user("bob"), role)
            roles.append(role)
        }
        let commitsBefore = counter.commits
        let calls = try await withThrowingTaskGroup(of: Bool.self) { group in
            for role in roles {
                for user in ["alice", "bob", "carol"] {
                    // carol is not eligible: her use cases are refused and roll back.
                    group.addTask {
                        do {
                            let outcomes = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user(user))
                            return outcomes.allSatisfy { if case .activated = $0 { true } else { false } }
                        } catch is PIMError { return false }
                    }
                }
                group.addTask {
                    (try? await f.service.activate(roleIDs: [999_999], form: Fixture.form, by: f.user("alice"))) != nil
                }
            }
            var all: [Bool] = []
            for try await ok in group { all.append(ok) }
            return all
        }
        #expect(calls.filter { $0 }.count == 24)
        #expect(counter.commits - commitsBefore < calls.count)
        let events = Int64(try f.count("SELECT count(*) FROM audit_event"))
        #expect(try f.verify() == .intact(events: events))
        #expect(try f.count("SELECT count(*) FROM assignment WHERE is_activation = 1") == 24)
    }
}
