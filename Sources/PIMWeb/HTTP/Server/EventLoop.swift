import CEpoll
import Dispatch
import Foundation
import Glibc
import Synchronization

/// Something the loop calls when epoll(7) reports readiness for its descriptor.
protocol ReadinessHandler: AnyObject {
    func handle(events: UInt32)
}

/// One thread blocked in epoll_wait(2) for socket readiness, which is also the executor of the
/// request tasks of its connections: a handler that does not block runs on this thread with no
/// hop, and one that awaits blocking work (``BlockingPool``) leaves the thread free meanwhile.
///
/// Safety of `@unchecked Sendable`: the fields marked "loop thread only" are read and written
/// only by the loop thread (`handlers`, `onTick`, the scratch buffer, connection objects
/// reached through `handlers`). Other threads reach the loop only through `inbox`, a Mutex,
/// and the eventfd that wakes it. `assertInLoop()` guards the loop-only accessors.
final class EventLoop: TaskExecutor, @unchecked Sendable {
    private struct Inbox {
        var jobs: [UnownedJob] = []
        var closures: [@Sendable () -> Void] = []
        var wakePending = false
        var stopped = false
        var exited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private static let wakeKey: UInt64 = 0
    private let inbox = Mutex(Inbox())
    private let epollFD: Int32
    private let wakeFD: Int32
    private let threadID = Atomic<UInt>(0)
    private let tickInterval: UInt64
    private var nextKey: UInt64 = 1

    // Loop thread only.
    private var handlers: [UInt64: any ReadinessHandler] = [:]
    var onTick: ((UInt64) -> Void)?
    var scratch = [UInt8](repeating: 0, count: 64 * 1024)
    private var dateCache = HTTPDateCache()

    /// The Date field value for responses sent now (loop thread only).
    func date() -> [UInt8] { dateCache.current() }

    init(tickInterval: Duration) throws(SocketError) {
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SocketError("epoll_create1") }
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC) | Int32(EFD_NONBLOCK))
        guard wakeFD >= 0 else { throw SocketError("eventfd") }
        self.tickInterval = UInt64(tickInterval.components.seconds) * 1_000_000_000
            + UInt64(tickInterval.components.attoseconds / 1_000_000_000)
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.wakeKey
        epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event)
    }

    deinit {
        close(epollFD)
        close(wakeFD)
    }

    func start(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    var inLoop: Bool { threadID.load(ordering: .relaxed) == UInt(pthread_self()) }

    func assertInLoop() {
        assert(inLoop, "loop-confined state touched off its loop thread")
    }

    // MARK: Executor

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let accepted = inbox.withLock { inbox in
            guard !inbox.stopped else { return false }
            inbox.jobs.append(unowned)
            return true
        }
        if accepted {
            wakeIfNeeded()
        } else {
            // After shutdown a late task still has to finish; run it off-loop.
            let executor = asUnownedTaskExecutor()
            DispatchQueue.global().async { unowned.runSynchronously(on: executor) }
        }
    }

    /// Runs `work` on the loop thread: at once when already there, else at the next turn.
    /// Returns false, without running it, when the loop has stopped.
    @discardableResult
    func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        if inLoop {
            work()
            return true
        }
        let accepted = inbox.withLock { inbox in
            guard !inbox.stopped else { return false }
            inbox.closures.append(work)
            return true
        }
        if accepted { wakeIfNeeded() }
        return accepted
    }

    private func wakeIfNeeded() {
        if inLoop { return }
        let shouldWrite = inbox.withLock { inbox in
            defer { inbox.wakePending = true }
            return !inbox.wakePending
        }
        if shouldWrite { eventfd_write(wakeFD, 1) }
    }

    // MARK: Registration (loop thread only)

    /// Adds `descriptor` to the epoll set, edge-triggered for reading and writing.
    func register(_ descriptor: Int32, handler: any ReadinessHandler, writable: Bool = true) -> UInt64? {
        assertInLoop()
        let key = nextKey
        nextKey += 1
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue | (writable ? EPOLLOUT.rawValue : 0)
        event.data.u64 = key
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, descriptor, &event) == 0 else { return nil }
        handlers[key] = handler
        return key
    }

    func unregister(_ key: UInt64) {
        assertInLoop()
        handlers[key] = nil
    }

    func handler(_ key: UInt64) -> (any ReadinessHandler)? {
        assertInLoop()
        return handlers[key]
    }

    var registeredHandlers: [any ReadinessHandler] {
        assertInLoop()
        return Array(handlers.values)
    }

    // MARK: Lifecycle

    /// Asks the loop to finish its current turn and exit; waits until it has.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = inbox.withLock { inbox in
                inbox.stopped = true
                if inbox.exited { return true }
                inbox.exitWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() } else { eventfd_write(wakeFD, 1) }
        }
    }

    private func run() {
        threadID.store(UInt(pthread_self()), ordering: .relaxed)
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var nextTick = MonotonicTime.now() + tickInterval
        while true {
            if !drainInbox() { break }
            let now = MonotonicTime.now()
            let pending = inbox.withLock { !$0.jobs.isEmpty || !$0.closures.isEmpty }
            let timeout = pending ? 0 : Int32(clamping: (nextTick > now ? nextTick - now : 0) / 1_000_000 + 1)
            let count = epoll_wait(epollFD, &events, Int32(events.count), timeout)
            if count < 0 && errno != EINTR { break }
            for index in 0..<max(0, Int(count)) {
                let key = events[index].data.u64
                if key == Self.wakeKey {
                    // Read the eventfd before clearing the flag: cleared first, a wake written
                    // in between would be swallowed by this read while the flag stayed set, and
                    // no thread would write a wake again until the next tick.
                    var value: eventfd_t = 0
                    eventfd_read(wakeFD, &value)
                    inbox.withLock { $0.wakePending = false }
                } else {
                    handlers[key]?.handle(events: events[index].events)
                }
            }
            let after = MonotonicTime.now()
            if after >= nextTick {
                onTick?(after)
                nextTick = after + tickInterval
            }
        }
        let waiters = inbox.withLock { inbox in
            inbox.exited = true
            defer { inbox.exitWaiters = [] }
            return inbox.exitWaiters
        }
        onTick = nil
        handlers = [:]
        for waiter in waiters { waiter.resume() }
    }

    /// Runs queued jobs and closures until none is left. Returns false once stopped.
    private func drainInbox() -> Bool {
        while true {
            let (jobs, closures, stopped) = inbox.withLock { inbox in
                defer {
                    inbox.jobs.removeAll(keepingCapacity: true)
                    inbox.closures.removeAll(keepingCapacity: true)
                }
                return (inbox.jobs, inbox.closures, inbox.stopped)
            }
            if jobs.isEmpty && closures.isEmpty { return !stopped }
            for closure in closures { closure() }
            let executor = asUnownedTaskExecutor()
            for job in jobs { job.runSynchronously(on: executor) }
        }
    }
}

/// CLOCK_MONOTONIC in nanoseconds (clock_gettime(2)); never goes back when the wall clock does.
enum MonotonicTime {
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
