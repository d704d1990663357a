public import Foundation

/// The fixed numbers of SPEC.md's Rules.
public enum Limits {
    /// An assignment lasts at least 5 minutes.
    public static let minimumAssignment: TimeInterval = 5 * 60
    /// An activation cannot be deactivated in its first 5 minutes.
    public static let deactivationGrace: TimeInterval = 5 * 60
    /// How far in the past a requested start may lie (form round trip and clock skew).
    public static let startSkew: TimeInterval = 5 * 60
    /// With "ask for a code on every activation", the proof must come with this submission.
    public static let perRequestProofAge: TimeInterval = 2 * 60
    /// An administrator's proof for an active assignment or an approval must be this recent.
    public static let adminProofAge: TimeInterval = 5 * 60
}

/// The window checks of assignments made by administrators (Assignment tab).
public enum WindowPolicy {
    /// Validates a requested window; a nil start means now, a nil end means permanent.
    public static func adminWindow(
        type: AssignmentType, start: Date?, end: Date?, settings: AssignmentSettings, now: Date
    ) throws(PIMError) -> (start: Date, end: Date?) {
        let start = start ?? now
        guard start >= now - Limits.startSkew else { throw .startInPast }
        guard let end else {
            if settings.expiry(for: type) != nil { throw .permanentNotAllowed(type) }
            return (start, nil)
        }
        guard end > start else { throw .endBeforeStart }
        guard end.timeIntervalSince(start) >= Limits.minimumAssignment else { throw .durationTooShort }
        if let limit = settings.expiry(for: type), end.timeIntervalSince(max(start, now)) > limit.seconds + 60 {
            throw .windowBeyondLimit(type: type, limit: limit.label)
        }
        return (start, end)
    }

    /// Whether an MFA proof made at `provenAt` is recent enough at `now` for `maxAge`.
    public static func isFresh(_ provenAt: Date?, maxAge: TimeInterval, now: Date) -> Bool {
        guard let provenAt else { return false }
        return provenAt <= now + 1 && now.timeIntervalSince(provenAt) <= maxAge
    }
}
