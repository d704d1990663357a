public import Foundation

/// Limits on sign-in failures. Pure data; all times come from the caller's clock.
public struct ThrottlePolicy: Sendable, Equatable {
    /// Failures allowed before back-off starts (per account). Default 5.
    public var freeFailures: Int = 5
    /// First back-off step; doubles with each further failure. Default 1 s.
    public var baseDelay: TimeInterval = 1
    /// Longest single back-off. Default 15 min.
    public var maxDelay: TimeInterval = 15 * 60
    /// Hard ceiling of failures per account within `window`. Default 100.
    public var maxFailuresPerWindow: Int = 100
    /// Failures allowed per source address before its own back-off starts. Default 20.
    public var freeFailuresPerAddress: Int = 20
    /// Hard ceiling per source address within `window`. Default 300.
    public var maxFailuresPerAddressPerWindow: Int = 300
    /// The sliding window of the ceilings. Default 1 h.
    public var window: TimeInterval = 60 * 60
    /// Keys remembered at most (accounts plus addresses); the stalest are forgotten first.
    public var maxTrackedKeys: Int = 10_000

    public init() {}
}

/// Per-account and per-address failure throttle: exponential back-off after a few failures and a
/// hard ceiling per hour. A pure value: the caller keeps it (e.g. in `SignInThrottleState`).
public struct SignInThrottle: Sendable {
    public enum Decision: Sendable, Equatable {
        case allowed
        /// Refused without asking PAM; retry at `until`.
        case throttled(until: Date)
    }

    struct Record: Sendable, Equatable {
        /// Failure times within the window, oldest first (bounded by the ceiling).
        var failures: [Date] = []
        /// Failures since the last success (drives the exponential back-off).
        var consecutive = 0
        var lastFailure: Date?
    }

    public let policy: ThrottlePolicy
    private(set) var records: [String: Record] = [:]

    public init(policy: ThrottlePolicy = ThrottlePolicy()) {
        self.policy = policy
    }

    /// May `account` try to sign in from `address` at `now`?
    public func check(account: String, address: String?, now: Date) -> Decision {
        var until: Date?
        if let record = records[Self.accountKey(account)] {
            until = latest(until, retryAt(record, free: policy.freeFailures, ceiling: policy.maxFailuresPerWindow, now: now))
        }
        if let address, let record = records[Self.addressKey(address)] {
            until = latest(until, retryAt(record, free: policy.freeFailuresPerAddress,
                                          ceiling: policy.maxFailuresPerAddressPerWindow, now: now))
        }
        if let until, until > now { return .throttled(until: until) }
        return .allowed
    }

    /// Counts a failure. Returns when the account's lock ends if this very failure locked it
    /// anew (the first back-off of a run of failures, or the hourly ceiling just reached); nil
    /// otherwise, so a caller can tell the user once per lockout rather than once per attempt.
    @discardableResult
    public mutating func recordFailure(account: String, address: String?, now: Date) -> Date? {
        let key = Self.accountKey(account)
        note(key: key, ceiling: policy.maxFailuresPerWindow, now: now)
        if let address { note(key: Self.addressKey(address), ceiling: policy.maxFailuresPerAddressPerWindow, now: now) }
        evictIfNeeded()
        guard let record = records[key] else { return nil }
        let recent = record.failures.filter { now.timeIntervalSince($0) < policy.window }.count
        guard record.consecutive == policy.freeFailures || recent == policy.maxFailuresPerWindow else { return nil }
        guard let until = retryAt(record, free: policy.freeFailures, ceiling: policy.maxFailuresPerWindow, now: now),
              until > now else { return nil }
        return until
    }

    /// A success clears the account's back-off; the hourly ceiling and the address keep counting.
    public mutating func recordSuccess(account: String, now: Date) {
        let key = Self.accountKey(account)
        guard var record = records[key] else { return }
        record.consecutive = 0
        record.failures.removeAll { now.timeIntervalSince($0) >= policy.window }
        records[key] = record.failures.isEmpty ? nil : record
    }

    /// Failures of `account` since its last success (what a lockout mail reports).
    public func consecutiveFailures(account: String) -> Int {
        records[Self.accountKey(account)]?.consecutive ?? 0
    }

    /// One account is one key however it is spelt (PAM user names are case-sensitive, but
    /// throttling `Alice` apart from `alice` would hand out free attempts).
    static func accountKey(_ account: String) -> String { "u:" + account.lowercased() }
    static func addressKey(_ address: String) -> String { "a:" + address }

    private func retryAt(_ record: Record, free: Int, ceiling: Int, now: Date) -> Date? {
        let recent = record.failures.filter { now.timeIntervalSince($0) < policy.window }
        var until: Date?
        if recent.count >= ceiling, let oldest = recent.first {
            until = oldest.addingTimeInterval(policy.window)
        }
        if record.consecutive >= free, let last = record.lastFailure {
            let steps = min(record.consecutive - free, 30)
            let delay = min(policy.baseDelay * pow(2, Double(steps)), policy.maxDelay)
            until = latest(until, last.addingTimeInterval(delay))
        }
        return until
    }

    private mutating func note(key: String, ceiling: Int, now: Date) {
        var record = records[key] ?? Record()
        record.failures.removeAll { now.timeIntervalSince($0) >= policy.window }
        record.failures.append(now)
        if record.failures.count > ceiling { record.failures.removeFirst(record.failures.count - ceiling) }
        record.consecutive += 1
        record.lastFailure = now
        records[key] = record
    }

    private mutating func evictIfNeeded() {
        guard records.count > policy.maxTrackedKeys else { return }
        let stalest = records.sorted { ($0.value.lastFailure ?? .distantPast) < ($1.value.lastFailure ?? .distantPast) }
        for (key, _) in stalest.prefix(records.count - policy.maxTrackedKeys) { records[key] = nil }
    }

    private func latest(_ a: Date?, _ b: Date?) -> Date? {
        switch (a, b) {
        case let (a?, b?): max(a, b)
        case let (a?, nil): a
        case let (nil, b): b
        }
    }
}

extension SignInThrottle.Decision {
    /// The sentence the sign-in page shows; says when to retry, never why in detail.
    public func message(now: Date) -> String? {
        guard case .throttled(let until) = self else { return nil }
        return "Too many failed sign-ins. Try again in \(RetryWording.duration(until.timeIntervalSince(now)))."
    }
}

/// "3 minutes", "40 seconds": how long until a retry, rounded up.
enum RetryWording {
    static func duration(_ seconds: TimeInterval) -> String {
        let whole = max(1, Int(seconds.rounded(.up)))
        if whole < 60 { return whole == 1 ? "1 second" : "\(whole) seconds" }
        let minutes = (whole + 59) / 60
        return minutes == 1 ? "1 minute" : "\(minutes) minutes"
    }
}
