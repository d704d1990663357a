import CSQLiteSetup
import Dispatch
import GRDB
import Synchronization

/// Copies the write-ahead log back into the database file on a thread and connection of its
/// own, so that the one writer never does, and keeps the log from growing without bound.
///
/// By default the connection whose COMMIT takes the log past 1,000 pages checkpoints at once:
/// it reads the log, writes and fsyncs the database file, and only then starts its next
/// transaction. With group commit that connection is the writer every write waits for. Here a
/// WAL hook on the writer (which replaces SQLite's automatic checkpoint) only looks at the log's
/// size after each commit and wakes this checkpointer, whose PASSIVE checkpoint runs alongside
/// the writer and the readers (sqlite3_wal_hook(3), sqlite3_wal_checkpoint_v2(3)).
///
/// A PASSIVE checkpoint never starts the log over. The next writer does, when the whole log
/// has been copied and no reader still reads from it; under a steady stream of writes and reads
/// that moment never comes, and the log grew to 630 MB in a 40-second benchmark. So once the log
/// passes `restartPages`, the checkpointer also runs a RESTART checkpoint on the writer's own
/// connection, between two write transactions (see `restartLog`).
final class Checkpointer: Sendable {
    /// Pages in the log that start a checkpoint: SQLite's own automatic threshold.
    static let defaultPages: Int32 = 1000
    /// Pages in the log past which a checkpoint also starts the log over: 16 MB of 4 KiB pages.
    static let defaultRestartPages = 4 * defaultPages
    /// How long a restart waits for readers of the log to finish. Page reads take a millisecond
    /// or so; a long reader (a CSV export) must not hold up every write, so the restart gives
    /// up and the next checkpoint tries again.
    static let restartWaitMilliseconds: Int32 = 20

    private let connection: DatabaseQueue
    private let writer: DatabasePool
    private let pages: Int32
    private let restartPages: Int32
    private let queue = DispatchQueue(label: "pim.database.checkpoint")
    private let queued = Atomic<Bool>(false)
    private let completedCount = Atomic<Int>(0)
    private let restartCount = Atomic<Int>(0)
    private let restartAttemptCount = Atomic<Int>(0)
    /// The log size of the next restart attempt: `restartPages`, or further after a refusal.
    private let nextRestart: Atomic<Int32>

    /// `pages` and `restartPages` are log sizes in pages; tests make them small.
    init(path: String, configuration: Configuration, writer: DatabasePool,
         pages: Int32 = defaultPages, restartPages: Int32 = defaultRestartPages) throws {
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.writer = writer
        self.pages = pages
        self.restartPages = restartPages
        nextRestart = Atomic(restartPages)
    }

    /// Checkpoints run so far (tests wait on it).
    var completed: Int { completedCount.load(ordering: .acquiring) }
    /// Restart checkpoints that succeeded so far.
    var restarts: Int { restartCount.load(ordering: .acquiring) }
    /// Restart checkpoints tried so far, refused ones included.
    var restartAttempts: Int { restartAttemptCount.load(ordering: .acquiring) }

    /// Returns once the checkpoint (and restart) under way, if any, is done (tests use it).
    func waitUntilIdle() { queue.sync {} }

    /// Installs the WAL hook on the writer connection `db`.
    func attach(to db: Database) {
        // The hook outlives nothing it points to: the context holds the checkpointer weakly
        // and is kept for the life of the process (a few bytes per opened store).
        let context = Unmanaged.passRetained(HookContext(self, pages: pages)).toOpaque()
        sqlite3_wal_hook(db.sqliteConnection, { context, _, _, frames in
            guard let context else { return SQLITE_OK }
            let hook = Unmanaged<HookContext>.fromOpaque(context).takeUnretainedValue()
            if frames >= hook.pages { hook.checkpointer?.schedule() }
            return SQLITE_OK
        }, context)
    }

    /// Runs one PASSIVE checkpoint soon, unless one is already waiting to run, and restarts
    /// the log after it when the log has grown past `restartPages`.
    func schedule() {
        guard !queued.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.async { [self] in
            queued.store(false, ordering: .releasing)
            // A failure (a reader holding an old snapshot, a busy lock) leaves the frames for
            // the next checkpoint; nothing is lost, the log only stays longer.
            guard let log = try? connection.writeWithoutTransaction({ try $0.checkpoint(.passive) }) else { return }
            completedCount.add(1, ordering: .releasing)
            let frames = Int32(clamping: log.walFrameCount)
            guard frames >= nextRestart.load(ordering: .relaxed) else { return }
            // A refused restart means a reader still on the log, perhaps a long one; trying
            // again after every commit would stall the writer each time, so the next try waits
            // for a quarter of `restartPages` more.
            let restarted = restartLog()
            let later = frames > .max - restartPages / 4 ? .max : frames + restartPages / 4
            nextRestart.store(restarted ? restartPages : later, ordering: .relaxed)
        }
    }

    /// A RESTART checkpoint on the writer's connection. GRDB runs it between two group-commit
    /// transactions, so it never waits for the write lock; it copies what the PASSIVE one could
    /// not (the frames committed meanwhile), then waits briefly until no reader reads from the
    /// log. The writer's next transaction then writes the log from its start.
    private func restartLog() -> Bool {
        restartAttemptCount.add(1, ordering: .releasing)
        let restarted = try? writer.writeWithoutTransaction { db -> Bool in
            let handle = db.sqliteConnection
            guard case .timeout(let seconds) = db.configuration.busyMode else { return false }
            sqlite3_busy_timeout(handle, Self.restartWaitMilliseconds)
            defer { sqlite3_busy_timeout(handle, Int32(seconds * 1000)) }
            let log = try db.checkpoint(.restart)
            return log.walFrameCount == log.checkpointedFrameCount
        }
        guard restarted == true else { return false }
        restartCount.add(1, ordering: .releasing)
        return true
    }

    private final class HookContext: Sendable {
        weak let checkpointer: Checkpointer?
        let pages: Int32
        init(_ checkpointer: Checkpointer, pages: Int32) {
            self.checkpointer = checkpointer
            self.pages = pages
        }
    }
}
