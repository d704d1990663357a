public import Foundation

/// A pending request with its approval deadline.
public struct PendingDeadline: Sendable, Equatable {
    public var requestID: Int64
    public var timeoutAt: Date

    public init(requestID: Int64, timeoutAt: Date) {
        self.requestID = requestID
        self.timeoutAt = timeoutAt
    }
}

public enum SchedulerAction: Sendable, Equatable {
    case timeOut(requestID: Int64)
    case expire(assignmentID: Int64)
    /// Send the reminder of this level (1: 14 days, 2: 1 day, 3: 10 minutes).
    case remind(assignmentID: Int64, level: Int)
}

/// What the background worker must do now and when to wake next. Pure and idempotent: an
/// action, once applied, removes itself from the state (status or reminder level changes).
public enum SchedulerPolicy {
    public static let fourteenDays: TimeInterval = 14 * 86_400
    public static let oneDay: TimeInterval = 86_400
    public static let tenMinutes: TimeInterval = 600

    /// The reminder instants of an assignment, by level.
    static func reminderOffsets(isActivation: Bool) -> [(level: Int, before: TimeInterval)] {
        isActivation ? [(3, tenMinutes)] : [(1, fourteenDays), (2, oneDay)]
    }

    /// The highest reminder level already due at `now` (0 if none).
    public static func dueReminderLevel(isActivation: Bool, end: Date?, now: Date) -> Int {
        guard let end, now < end else { return 0 }
        return reminderOffsets(isActivation: isActivation)
            .filter { now >= end - $0.before }
            .map(\.level).max() ?? 0
    }

    /// `assignments`: open (not closed by an action) time-bound assignments that may be due.
    public static func plan(
        pending: [PendingDeadline], assignments: [Assignment], now: Date
    ) -> (actions: [SchedulerAction], nextWake: Date?) {
        var actions: [SchedulerAction] = []
        var next: Date?
        func consider(_ instant: Date) { if instant > now { next = min(next ?? instant, instant) } }

        for deadline in pending {
            if deadline.timeoutAt <= now { actions.append(.timeOut(requestID: deadline.requestID)) }
            else { consider(deadline.timeoutAt) }
        }
        for a in assignments where a.endedReason == nil {
            guard let end = a.end else { continue }
            if end <= now {
                actions.append(.expire(assignmentID: a.id))
                continue
            }
            consider(end)
            let due = dueReminderLevel(isActivation: a.isActivation, end: end, now: now)
            if due > a.reminderLevel { actions.append(.remind(assignmentID: a.id, level: due)) }
            for offset in reminderOffsets(isActivation: a.isActivation) where offset.level > max(due, a.reminderLevel) {
                consider(end - offset.before)
            }
        }
        return (actions, next)
    }
}
