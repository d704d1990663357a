public import Foundation
import Synchronization

/// The source of "now" for everything in PIM that depends on time (windows, timeouts, sessions).
/// Injected everywhere so tests can move time instead of sleeping.
public protocol PIMClock: Sendable {
    func now() -> Date
}

/// The wall clock of the host.
public struct SystemClock: PIMClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to; safe to share between tasks.
public final class TestClock: PIMClock {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func set(_ date: Date) { current.withLock { $0 = date } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}
