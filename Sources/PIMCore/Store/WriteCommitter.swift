import CSQLiteSetup
import Dispatch
public import GRDB
import Synchronization
import Glibc

/// Group commit for the one writer of a `DatabasePool`.
///
/// With `synchronous = FULL` every COMMIT waits for an fsync, so one transaction per write makes
/// the disk's flush rate the ceiling of the whole server. Here concurrent writes queue up; one
/// thread takes every waiting job (at most `maximumBatch`), runs them in ONE `BEGIN IMMEDIATE`
/// transaction and COMMITs once: one fsync for the batch.
///
/// - A job that throws gets its own error and leaves no change behind; the others go on.
/// - A job sees the finished jobs before it in the batch (like a later transaction would) and
///   never a half-done one: jobs run one after another, each complete or undone.
/// - Callers learn their result only after the COMMIT is durable. If BEGIN or COMMIT fails (or
///   a job's error aborted the whole transaction, e.g. disk full), every job of the batch gets
///   that error and nothing of the batch is kept.
///
/// How a failed job is undone: most throw before they change a row (a refusal), and then there
/// is nothing to undo. A savepoint around every job would copy each page a job changes to a
/// statement journal, on the writer thread every write waits for: 12% of an activation. So
/// jobs run bare, and SQLite's count of changed rows tells whether a failed job changed any.
/// If it did, the batch's transaction is rolled back and the batch runs again, each job in a
/// savepoint of its own this time (`replays`), as do the batches of the next second: a stream
/// of such failures costs savepoints, never repeated replays.
///
/// Nothing in PIM hooks on transaction boundaries (no transaction observers, ValueObservation
/// or `afterNextTransaction`), so several use cases sharing one COMMIT changes nothing for them.
/// Jobs only read and write the database (and caches of facts that do not change), so running
/// one again after a rollback gives the result it would have given.
public final class WriteCommitter: Sendable {
    /// One queued write: `run` executes it inside the batch transaction (in a savepoint of its
    /// own when asked) and tells whether it threw, and how to report its outcome once the
    /// batch's fate is known; `fail` reports a batch that never ran it.
    private struct Job: Sendable {
        let run: @Sendable (Database, _ inSavepoint: Bool) -> Ran
        let fail: @Sendable (any Error) -> Void
    }

    private struct Ran {
        let threw: Bool
        let report: @Sendable ((any Error)?) -> Void
    }

    private struct State {
        var waiting: [Job] = []
        var draining = false
    }

    /// The database; reads go to it directly.
    public let pool: DatabasePool
    /// The most jobs one transaction takes: bounds how long the first job of a batch waits for
    /// the last before its COMMIT.
    public let maximumBatch: Int
    private let state = Mutex(State())
    /// The committing thread. A labelled queue runs on an overcommitting thread, so the commit
    /// never waits for (or occupies) Swift's cooperative pool or an event loop.
    private let queue = DispatchQueue(label: "pim.database.commit")
    /// Tells the jobs of each batch their outcome, in batch order, while the committing thread
    /// goes on with the next batch. Each report wakes a waiting caller (an event loop, a thread
    /// in `writeAndWait`): under the portal benchmark those wake-ups took 7% of the committing
    /// thread, the one thread every write waits for.
    private let reporter = DispatchQueue(label: "pim.database.commit-reports")
    /// The thread running the jobs of a batch (0 when none), to catch a job waiting for itself.
    private let committingThread = Atomic<UInt>(0)
    /// Until when (`DispatchTime` nanoseconds, monotonic) every job runs in a savepoint, after a replay.
    private let savepointsUntil = Atomic<UInt64>(0)
    private let replayCount = Atomic<Int>(0)
    /// How long (nanoseconds) batches keep their savepoints after a replay: a second. Tests
    /// change it to make the period outlast or miss their next batch whatever the machine's load.
    let savepointPeriod = Atomic<UInt64>(1_000_000_000)

    public init(pool: DatabasePool, maximumBatch: Int = 64) {
        self.pool = pool
        self.maximumBatch = max(1, maximumBatch)
    }

    /// Runs `updates` in the next batch transaction and returns its result once that
    /// transaction is committed. The calling task is suspended, not blocked, meanwhile.
    public func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            enqueue(Self.job(updates) { continuation.resume(with: $0) })
        }
    }

    /// ``write(_:)`` for synchronous callers: blocks the calling thread until the batch with
    /// `updates` is committed. Never call it from Swift's cooperative pool (a blocked pool
    /// thread is a lost core) nor from inside a job (it would wait for its own batch).
    public func writeAndWait<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) throws -> T {
        precondition(committingThread.load(ordering: .relaxed) != UInt(pthread_self()),
                     "writeAndWait inside a batch would wait for itself")
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<T, any Error>?>(nil)
        enqueue(Self.job(updates) { result in
            outcome.withLock { $0 = result }
            done.signal()
        })
        done.wait()
        return try outcome.withLock { $0! }.get()
    }

    private static func job<T: Sendable>(
        _ updates: @escaping @Sendable (Database) throws -> T,
        report: @escaping @Sendable (Result<T, any Error>) -> Void
    ) -> Job {
        Job(
            run: { db, inSavepoint in
                let result = Result<T, any Error> { inSavepoint ? try inJobSavepoint(db) { try updates(db) } : try updates(db) }
                let threw = if case .failure = result { true } else { false }
                return Ran(threw: threw, report: { batchError in report(batchError.map { .failure($0) } ?? result) })
            },
            fail: { report(.failure($0)) })
    }

    /// `updates` inside a savepoint of the batch transaction: kept when it returns, undone when
    /// it throws. GRDB's `inSavepoint` prepares its SAVEPOINT and RELEASE statements anew every
    /// time, which cost about a twentieth of an activation on the one writer thread; these are
    /// the connection's cached statements.
    private static func inJobSavepoint<T>(_ db: Database, _ updates: () throws -> T) throws -> T {
        try db.cachedStatement(sql: "SAVEPOINT job").execute()
        do {
            let value = try updates()
            try db.cachedStatement(sql: "RELEASE SAVEPOINT job").execute()
            return value
        } catch {
            // Undo this job only. When SQLite already ended the whole transaction (disk full, an
            // I/O error) no savepoint is left, and the batch's COMMIT reports the failure.
            if db.isInsideTransaction {
                try? db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT job").execute()
                try? db.cachedStatement(sql: "RELEASE SAVEPOINT job").execute()
            }
            throw error
        }
    }

    /// Jobs queued for the next batch (tests wait on it to build a batch of known content).
    var waitingJobs: Int { state.withLock { $0.waiting.count } }
    /// Batches rolled back and run again because a job changed rows and threw.
    var replays: Int { replayCount.load(ordering: .relaxed) }

    private func enqueue(_ job: Job) {
        let start = state.withLock { state in
            state.waiting.append(job)
            defer { state.draining = true }
            return !state.draining
        }
        if start { queue.async { self.drain() } }
    }

    /// Commits batches until no job waits.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [Job] in
                let batch = Array(state.waiting.prefix(maximumBatch))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            commit(batch)
        }
    }

    private func commit(_ batch: [Job]) {
        var reports: [@Sendable ((any Error)?) -> Void] = []
        reports.reserveCapacity(batch.count)
        do {
            try pool.writeWithoutTransaction { db in
                committingThread.store(UInt(pthread_self()), ordering: .relaxed)
                defer { committingThread.store(0, ordering: .relaxed) }
                var inSavepoints = DispatchTime.now().uptimeNanoseconds < savepointsUntil.load(ordering: .relaxed)
                while try !run(batch, inSavepoints: inSavepoints, reports: &reports, db) {
                    inSavepoints = true
                    replayCount.add(1, ordering: .relaxed)
                    savepointsUntil.store(DispatchTime.now().uptimeNanoseconds + savepointPeriod.load(ordering: .relaxed),
                                          ordering: .relaxed)
                }
            }
        } catch {
            let reported = reports
            reporter.async {
                for (index, job) in batch.enumerated() {
                    if index < reported.count { reported[index](error) } else { job.fail(error) }
                }
            }
            return
        }
        let reported = reports
        reporter.async { for report in reported { report(nil) } }
    }

    /// One transaction of the batch; false when it was rolled back for a replay in savepoints
    /// (a job without a savepoint changed rows and threw).
    private func run(_ batch: [Job], inSavepoints: Bool, reports: inout [@Sendable ((any Error)?) -> Void],
                     _ db: Database) throws -> Bool {
        reports.removeAll(keepingCapacity: true)
        var replay = false
        try db.inTransaction(.immediate) {
            for job in batch {
                // A failed statement may have ended the whole transaction (SQLite rolls back on
                // disk full, I/O errors…): the jobs left must not run in autocommit mode; the
                // COMMIT then fails for the batch.
                guard db.isInsideTransaction else { break }
                let changes = sqlite3_total_changes64(db.sqliteConnection)
                let ran = job.run(db, inSavepoints)
                if ran.threw, !inSavepoints, db.isInsideTransaction, sqlite3_total_changes64(db.sqliteConnection) != changes {
                    replay = true
                    return .rollback
                }
                reports.append(ran.report)
            }
            return .commit
        }
        return !replay
    }
}

