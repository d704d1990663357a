import Dispatch

/// Threads of their own for a request's synchronous database and NSS work.
///
/// The session load (a synchronous GRDB read, a write every few seconds), the NSS group lookup
/// and the page's read transaction run together in one trip here instead of blocking a thread
/// of Swift's cooperative pool or hopping once per query (see PIMCore's `readOffPool` for why
/// database waits must stay off that pool). A labelled queue runs on overcommitting threads.
enum PageThreads {
    private static let queue = DispatchQueue(label: "pim.pages", attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
