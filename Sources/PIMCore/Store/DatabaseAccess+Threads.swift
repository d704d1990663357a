import Dispatch
public import GRDB

/// Threads of their own for database work reached from async code.
///
/// GRDB's async `read` keeps its pooled reader connection until the awaiting task resumes, and
/// GRDB's synchronous calls block the calling thread while they wait for a connection. Mixed on
/// Swift's cooperative pool (as wide as the machine has cores) the two deadlock under load:
/// every cooperative thread waits for a reader that only a suspended task can give back, and
/// that task needs a cooperative thread to resume. `readOffPool`/`writeOffPool` run the
/// synchronous call on these threads and resume only once the connection is back in its pool,
/// so no task ever holds a connection while suspended. Queues made with a label run on
/// overcommitting threads, so a database wait never starves the cooperative pool either.
private let databaseThreads = DispatchQueue(label: "pim.database", attributes: .concurrent)

extension DatabaseReader {
    /// A read transaction run off the cooperative pool (see `databaseThreads`).
    public func readOffPool<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            databaseThreads.async {
                continuation.resume(with: Result { try self.read(value) })
            }
        }
    }
}

extension DatabaseWriter {
    /// A write transaction run off the cooperative pool (see `databaseThreads`).
    public func writeOffPool<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            databaseThreads.async {
                continuation.resume(with: Result { try self.write(updates) })
            }
        }
    }
}
