import CSQLiteSetup
import Foundation
public import GRDB
import Synchronization

/// The database of PIM: one SQLite file in WAL mode behind a GRDB `DatabasePool` (concurrent
/// readers, one writer), foreign keys on, all times stored as UTC text.
public final class PIMStore: Sendable {
    /// The pool, for modules that keep tables of their own (auth, mail).
    public let pool: DatabasePool
    /// The writes of use cases, sessions and settings: batched into shared transactions
    /// (group commit, one fsync per batch); see ``write(_:)``.
    public let committer: WriteCommitter
    public let clock: any PIMClock
    public let path: String
    /// Checkpoints the log on its own connection (see `Checkpointer`).
    let checkpointer: Checkpointer
    let builtInRoleIDs = BuiltInRoleIDs()
    /// One read-only connection per read thread (`ReadThreads`), opened on its first read.
    private let threadReaders: Mutex<[DatabaseQueue?]>
    private let readerConfiguration: Configuration

    private init(pool: DatabasePool, checkpointer: Checkpointer, readerConfiguration: Configuration, clock: any PIMClock,
                 path: String, maximumWriteBatch: Int) {
        self.pool = pool
        self.checkpointer = checkpointer
        self.threadReaders = Mutex(Array(repeating: nil, count: ReadThreads.count))
        var readerConfiguration = readerConfiguration
        readerConfiguration.readonly = true
        self.readerConfiguration = readerConfiguration
        self.committer = WriteCommitter(pool: pool, maximumBatch: maximumWriteBatch)
        self.clock = clock
        self.path = path
    }

    /// Runs `updates` as one write (a job of the next group-commit transaction) and
    /// returns once it is durably committed. Use it instead of `pool.write` from async code.
    public func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await committer.write(updates)
    }

    /// One read transaction. On a read thread it runs on that thread's own connection: taking a
    /// connection from GRDB's pool and giving it back went through dispatch barriers that the
    /// read threads queued on under load, and cost more than reading a session. Anywhere else
    /// it is the pool's `read`.
    public func read<T>(_ value: (Database) throws -> T) throws -> T {
        guard let index = ReadThreads.currentIndex else { return try pool.read(value) }
        let reader = try threadReaders.withLock { readers in
            if let reader = readers[index] { return reader }
            let opened = try DatabaseQueue(path: path, configuration: readerConfiguration)
            // 512 KiB of page cache instead of SQLite's 2 MB: a reader empties its cache whenever
            // the log has changed since its last read, i.e. after any commit, so under writes a
            // larger cache only keeps memory, and the pages of a page's reads fit in this one.
            try opened.inDatabase { try $0.execute(sql: "PRAGMA cache_size = -512") }
            readers[index] = opened
            return opened
        }
        // BEGIN and COMMIT as cached statements: GRDB's `read` prepares them anew every time
        // (~30K instructions, a tenth of reading a session and its page).
        return try reader.inDatabase { db in
            try db.cachedStatement(sql: "BEGIN DEFERRED TRANSACTION").execute()
            do {
                let result = try value(db)
                try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                return result
            } catch {
                if db.isInsideTransaction { try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").execute() }
                throw error
            }
        }
    }

    /// Opens (creating if needed) the database at `path` and applies every pending migration:
    /// the core ones first, then `extraMigrations` in the order given. `maximumWriteBatch` caps
    /// how many writes share one COMMIT (1 turns group commit off, for comparison).
    public static func open(
        path: String,
        extraMigrations: [SchemaMigration] = [],
        clock: any PIMClock = SystemClock(),
        migrate: Bool = true,
        maximumWriteBatch: Int = 64
    ) throws -> PIMStore {
        try open(path: path, extraMigrations: extraMigrations, clock: clock, migrate: migrate,
                 maximumWriteBatch: maximumWriteBatch,
                 checkpointPages: (Checkpointer.defaultPages, Checkpointer.defaultRestartPages))
    }

    /// ``open(path:extraMigrations:clock:migrate:maximumWriteBatch:)`` with the log sizes (in
    /// pages) that start a checkpoint and a restart of the log; tests make them small.
    static func open(
        path: String,
        extraMigrations: [SchemaMigration] = [],
        clock: any PIMClock = SystemClock(),
        migrate: Bool = true,
        maximumWriteBatch: Int = 64,
        checkpointPages: (start: Int32, restart: Int32)
    ) throws -> PIMStore {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        _ = sqliteSetUp
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // A writer waits for another process's write lock instead of failing at once
        // (the CLI and the server may share the file).
        configuration.busyMode = .timeout(10)
        // The page reads run on the read threads' own connections (`read(_:)`); the pool's
        // readers serve the rest (sign-in, the CLI), which two suffice for. Each reader open is
        // a page cache and a schema more in memory.
        configuration.maximumReaderCount = 2
        configuration.prepareDatabase { db in
            // WAL makes a committed transaction durable once fsynced to the log; NORMAL
            // synchronous would lose the last commits on power loss, so keep FULL.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        let checkpointer = try Checkpointer(path: path, configuration: configuration, writer: pool,
                                            pages: checkpointPages.start, restartPages: checkpointPages.restart)
        // DatabasePool's WAL set-up runs after prepareDatabase and sets `synchronous = NORMAL`
        // on the writer (GRDB Database.setUpWALMode), so the writer gets FULL again here.
        // A group-commit job replayed after a failure runs in a savepoint (see `WriteCommitter`),
        // whose undo pages go to a statement journal.
        // On disk (the default, past 64 KiB) that is a write of every page a job touches to a
        // temporary file; in memory it is dropped at each job's RELEASE, so it stays one job's
        // size. Only the writer: the readers' large sorts (the audit export) stay on disk.
        // The writer checkpoints only to start an overgrown log over (see `Checkpointer`).
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // A log that a long reader let grow (see `Checkpointer`) is cut back to 64 MiB when
            // it starts over; below that the file is reused as it is, with no new allocation.
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            checkpointer.attach(to: db)
        }
        let store = PIMStore(pool: pool, checkpointer: checkpointer, readerConfiguration: configuration, clock: clock,
                             path: path, maximumWriteBatch: maximumWriteBatch)
        if migrate { try store.migrate(extraMigrations: extraMigrations) }
        return store
    }

    /// Every migration PIMCore knows plus the given extra ones, in order.
    public static func migrator(extraMigrations: [SchemaMigration]) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in CoreSchema.migrations + extraMigrations {
            migrator.registerMigration(migration.name, migrate: migration.migrate)
        }
        return migrator
    }

    /// Applies pending migrations; returns the names it applied.
    @discardableResult
    public func migrate(extraMigrations: [SchemaMigration] = []) throws -> [String] {
        let migrator = Self.migrator(extraMigrations: extraMigrations)
        let before = try pool.read { try migrator.appliedIdentifiers($0) }
        try migrator.migrate(pool)
        return migrator.migrations.filter { !before.contains($0) }
    }
}

/// SQLite's process-wide settings (`CSQLiteSetup`), made once, before the first store opens.
/// False when SQLite was already initialized by something else: the defaults then stay.
private let sqliteSetUp: Bool = pim_sqlite_configure() == SQLITE_OK

extension PIMStore {
    /// Whether SQLite runs with PIM's process-wide settings (multi-thread mode, no memory
    /// statistics); false when something used SQLite before the first store opened.
    public static var sqliteConfigured: Bool { sqliteSetUp }
}
