public import Foundation

/// When to try a failed mail again: exponential back-off from `initialDelay`, doubling up to
/// `maxDelay`, for `giveUpAfter` counted from the row's creation; then the row is failed.
/// Pure, so it is tested without clocks or servers.
public struct RetryPolicy: Sendable, Equatable {
    public var initialDelay: Duration
    public var maxDelay: Duration
    public var giveUpAfter: Duration

    public init(initialDelay: Duration = .seconds(30), maxDelay: Duration = .seconds(3600), giveUpAfter: Duration = .seconds(86_400)) {
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.giveUpAfter = giveUpAfter
    }

    public enum Decision: Sendable, Equatable {
        case retry(at: Date)
        case fail
    }

    /// The wait after the `attempts`-th failed attempt (1-based): 30 s, 60 s, 120 s … ≤ 1 h.
    public func delay(afterAttempt attempts: Int) -> Duration {
        var delay = initialDelay
        for _ in 1..<max(attempts, 1) {
            delay *= 2
            if delay >= maxDelay { return maxDelay }
        }
        return min(delay, maxDelay)
    }

    /// After the `attempts`-th failure at `now` of a mail created at `createdAt`. The last try
    /// happens at the deadline itself, so a relay that returns within 24 h always gets the mail.
    public func decide(attempts: Int, createdAt: Date, now: Date, permanent: Bool) -> Decision {
        if permanent { return .fail }
        let deadline = createdAt.addingTimeInterval(giveUpAfter.timeInterval)
        guard now < deadline else { return .fail }
        let next = now.addingTimeInterval(delay(afterAttempt: attempts).timeInterval)
        return .retry(at: min(next, deadline))
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`, for `Date` arithmetic.
    var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }

    var milliseconds: Int {
        let parts = components
        return Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000)
    }
}
