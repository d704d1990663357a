import Dispatch
import Foundation
import Synchronization

/// A dedicated OS thread that runs blocking jobs one after another, so libcurl's blocking
/// `curl_easy_perform` never occupies a thread of Swift's cooperative pool (DESIGN.md,
/// Concurrency). The thread owns a `Context` (the curl handle) made on the thread itself; jobs
/// receive it and it never leaves the thread, which is why it need not be Sendable.
final class BlockingThread<Context>: Sendable {
    private typealias Job = @Sendable (inout Context?) -> Bool

    private struct Queue {
        var jobs: [Job] = []
        var stopping = false
    }

    private let queue = Mutex(Queue())
    private let available = DispatchSemaphore(value: 0)

    init(name: String) {
        let thread = Thread { [self] in
            // A new thread inherits its creator's name (often a cooperative-pool worker's), and
            // corelibs Foundation applies Thread.name to the OS thread only once start() has
            // returned in the creator (a race). proc(5): a thread may write its own
            // /proc/thread-self/comm (≤ 15 bytes), so name it here for ps/top/gdb.
            try? String(name.utf8.prefix(15))?.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            self.loop()
        }
        thread.name = name
        thread.start()
    }

    /// Runs `body` on the thread with the context (made by `make` when absent) and returns its
    /// result to the awaiting task. The awaiting task is suspended, not blocked.
    func run<T: Sendable>(
        make: @escaping @Sendable () throws(MailError) -> Context,
        _ body: @escaping @Sendable (Context) throws(MailError) -> T
    ) async throws(MailError) -> T {
        let result: Result<T, MailError> = await withCheckedContinuation { continuation in
            guard enqueue({ context in
                do throws(MailError) {
                    if context == nil { context = try make() }
                    continuation.resume(returning: .success(try body(context!)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
                return true
            }) else {
                continuation.resume(returning: .failure(.invalidConfiguration("mail transport is shut down")))
                return
            }
        }
        return try result.get()
    }

    /// Lets the thread finish queued jobs, release its context and exit.
    func shutdown() {
        _ = enqueue(stopping: true) { context in
            context = nil
            return false
        }
    }

    /// Appends a job unless shutdown was requested before; the stop job is the last one ever.
    private func enqueue(stopping: Bool = false, _ job: @escaping Job) -> Bool {
        let accepted = queue.withLock { queue in
            guard !queue.stopping else { return false }
            queue.jobs.append(job)
            queue.stopping = stopping
            return true
        }
        if accepted { available.signal() }
        return accepted
    }

    private func loop() {
        var context: Context?
        while true {
            available.wait()
            guard let job = queue.withLock({ $0.jobs.isEmpty ? nil : $0.jobs.removeFirst() }) else { continue }
            if !job(&context) { return }
        }
    }
}
