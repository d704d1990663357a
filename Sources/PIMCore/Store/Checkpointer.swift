import CSQLiteSetup
import Dispatch
import GRDB
import Synchronization

/// Copies the write-ahead log back into the database file on a thread and connection of its
/// own, so that the one writer never does.
///
/// By default the connection whose COMMIT takes the log past 1,000 pages checkpoints at once:
/// it reads the log, writes and fsyncs the database file, and only then starts its next
/// transaction. With group commit that connection is the writer every write waits for. Here a
/// WAL hook on the writer (which replaces SQLite's automatic checkpoint) only looks at the log's
/// size after each commit and wakes this checkpointer, whose PASSIVE checkpoint runs alongside
/// the writer and the readers (sqlite3_wal_hook(3), sqlite3_wal_checkpoint_v2(3)).
final class Checkpointer: Sendable {
    /// Pages in the log that start a checkpoint: SQLite's own automatic threshold.
    static let threshold: Int32 = 1000

    private let connection: DatabaseQueue
    private let queue = DispatchQueue(label: "pim.database.checkpoint")
    private let queued = Atomic<Bool>(false)
    private let completedCount = Atomic<Int>(0)

    init(path: String, configuration: Configuration) throws {
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Checkpoints run so far (tests wait on it).
    var completed: Int { completedCount.load(ordering: .acquiring) }

    /// Installs the WAL hook on the writer connection `db`.
    func attach(to db: Database) {
        // The hook outlives nothing it points to: the context holds the checkpointer weakly
        // and is kept for the life of the process (a few bytes per opened store).
        let context = Unmanaged.passRetained(HookContext(self)).toOpaque()
        sqlite3_wal_hook(db.sqliteConnection, { context, _, _, frames in
            if frames >= Checkpointer.threshold, let context {
                Unmanaged<HookContext>.fromOpaque(context).takeUnretainedValue().checkpointer?.schedule()
            }
            return SQLITE_OK
        }, context)
    }

    /// Runs one PASSIVE checkpoint soon, unless one is already waiting to run.
    func schedule() {
        guard !queued.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.async { [self] in
            queued.store(false, ordering: .releasing)
            // A failure (a reader holding an old snapshot, a busy lock) leaves the frames for
            // the next checkpoint; nothing is lost, the log only stays longer.
            if (try? connection.writeWithoutTransaction({ try $0.checkpoint(.passive) })) != nil {
                completedCount.add(1, ordering: .releasing)
            }
        }
    }

    private final class HookContext: Sendable {
        weak let checkpointer: Checkpointer?
        init(_ checkpointer: Checkpointer) { self.checkpointer = checkpointer }
    }
}
