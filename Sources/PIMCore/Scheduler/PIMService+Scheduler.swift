public import Foundation
import GRDB

/// The background work: time out requests, expire assignments, send reminders. Each action is
/// its own transaction and re-checks its condition, so applying it twice changes nothing.
extension PIMService {
    /// The most requests and assignments one run loads; more due ones wait for the next run,
    /// which follows at once (`SchedulerRunner` reruns after any applied action).
    public static let dueBatch = 500

    /// Loads what is due now, plans with `SchedulerPolicy`, applies each action; returns the
    /// number of actions applied and the next instant something falls due (nil: nothing known).
    ///
    /// Only due rows are loaded, in batches: the open activations of a busy day are not read
    /// into memory every few seconds to find the few that end now. The next instant comes from
    /// `min()` queries on the same partial index.
    @discardableResult
    public func runDueWork(batch: Int = dueBatch) async throws -> (applied: Int, nextWake: Date?) {
        let now = store.clock.now()
        let (pending, assignments, later) = try await store.readOffPool { db in
            let pending = try Tables.all(db, """
                SELECT id, timeout_at FROM request WHERE status = 'PendingApproval' AND timeout_at IS NOT NULL AND timeout_at <= ?
                LIMIT ?
                """, [now.storedValue, batch]) { PendingDeadline(requestID: $0.int64(0), timeoutAt: $0.date(1)) }
            // Open time-bound assignments that end now or whose reminder is due.
            var arguments: StatementArguments = [(now + Self.longestLead).storedValue, now.storedValue]
            for reminder in Self.reminders {
                arguments += [reminder.isActivation, reminder.level, (now + reminder.before).storedValue]
            }
            arguments += [batch]
            let assignments = try Tables.all(db, Self.dueAssignmentsSQL, arguments, Tables.assignment)
            return (pending, assignments, try Self.nextDue(after: now, in: db))
        }
        let plan = SchedulerPolicy.plan(pending: pending, assignments: assignments, now: now)
        for action in plan.actions { try await apply(action) }
        let wake = [plan.nextWake, later].compactMap { $0 }.min()
        return (plan.actions.count, wake)
    }

    /// Every reminder of `SchedulerPolicy`, for both kinds of assignment: the SQL below is made
    /// from them, so the rows loaded are the ones the policy plans for.
    private static let reminders = [true, false].flatMap { isActivation in
        SchedulerPolicy.reminderOffsets(isActivation: isActivation).map { (isActivation: isActivation, level: $0.level, before: $0.before) }
    }
    private static let longestLead = reminders.map(\.before).max() ?? 0

    /// Ends due (`end_at <= now`) or a reminder due (`reminder_level < level AND end_at <= now +
    /// lead`); the first bound keeps the scan to the index range of the longest lead.
    private static let dueAssignmentsSQL = """
        SELECT \(Tables.assignmentColumns) FROM assignment WHERE ended_reason IS NULL AND end_at IS NOT NULL AND end_at <= ?
          AND (end_at <= ? OR \(reminders.map { _ in "(is_activation = ? AND reminder_level < ? AND end_at <= ?)" }.joined(separator: " OR ")))
        LIMIT ?
        """

    /// The first instant after `now` at which a request times out, an assignment ends or a
    /// reminder falls due (an end minus the reminder's lead), nil when nothing is scheduled.
    static func nextDue(after now: Date, in db: Database) throws -> Date? {
        func first(_ sql: String, _ arguments: StatementArguments) throws -> Date? {
            try Tables.one(db, sql, arguments) { $0.optionalDate(0) } ?? nil
        }
        let open = "SELECT min(end_at) FROM assignment WHERE ended_reason IS NULL AND end_at IS NOT NULL AND end_at > ?"
        var candidates: [Date?] = [
            try first("SELECT min(timeout_at) FROM request WHERE status = 'PendingApproval' AND timeout_at > ?", [now.storedValue]),
            try first(open, [now.storedValue]),
        ]
        for reminder in reminders {
            let end = try first(open + " AND is_activation = ? AND reminder_level < ?",
                                [(now + reminder.before).storedValue, reminder.isActivation, reminder.level])
            candidates.append(end.map { $0 - reminder.before })
        }
        return candidates.compactMap { $0 }.min()
    }

    /// Applies one scheduler action if it is still due.
    public func apply(_ action: SchedulerAction) async throws {
        try await transact(.system) { tx in
            switch action {
            case .timeOut(let id): try tx.timeOut(requestID: id)
            case .expire(let id): try tx.expire(assignmentID: id)
            case .remind(let id, let level): try tx.remind(assignmentID: id, level: level)
            }
        }
    }
}

extension WriteContext {
    func timeOut(requestID: Int64) throws {
        guard let request = try Tables.fetchRequest(requestID, db), request.status == .pendingApproval,
              let timeout = request.timeoutAt, timeout <= now else { return }
        let role = try self.role(request.roleID)
        try Tables.setStatus(requestID, .timedOut, at: now, db)
        try audit(.requestTimedOut, role: role, target: request.principal.description, request: requestID)
        try notifyDirectly(.requestTimedOut, to: [request.requester],
                           payload: facts(role: role, assignment: nil, request: requestID, requestFacts: request))
    }

    func expire(assignmentID: Int64) throws {
        guard let a = try Tables.fetchAssignment(assignmentID, db), a.endedReason == nil, let end = a.end, end <= now else { return }
        let role = try self.role(a.roleID)
        // The window already ended the privilege; this records it (end_at stays as it was).
        try db.execute(sql: "UPDATE assignment SET ended_reason = 'expired', ended_at = ?, ended_by = 'system' WHERE id = ?",
                       arguments: [now.storedValue, assignmentID])
        try audit(a.isActivation ? .activationExpired : .assignmentExpired, role: role, target: a.principal.description,
                  request: a.requestID, assignment: a.id, details: "ended at \(WindowText.end(end))")
        if a.isActivation {
            try notifyDirectly(.activationEnded, to: usernames(of: a.principal),
                               payload: facts(role: role, assignment: a, request: a.requestID))
        }
    }

    func remind(assignmentID: Int64, level: Int) throws {
        guard let a = try Tables.fetchAssignment(assignmentID, db), a.endedReason == nil, a.reminderLevel < level,
              let end = a.end, end > now else { return }
        let role = try self.role(a.roleID)
        try db.execute(sql: "UPDATE assignment SET reminder_level = ? WHERE id = ?", arguments: [level, assignmentID])
        var payload = facts(role: role, assignment: a, request: a.requestID)
        if a.isActivation {
            payload["link"] = "/my-roles?extend=\(a.id)"
            try notifyDirectly(.activationEndingSoon, to: usernames(of: a.principal), payload: payload)
            return
        }
        payload["inDays"] = level == 1 ? "14" : "1"
        let admins = try administratorUsernames()
        try notifyDirectly(.assignmentExpiring, to: Set(usernames(of: a.principal)).union(admins), payload: payload)
        if role.builtIn == .pimAdministrator, a.type == .active {
            let others = try Tables.activeAssignments(role: role.id, at: now, db).filter { other in
                other.id != a.id && (other.end.map { $0 > end } ?? true)
            }
            if others.isEmpty { try notifyDirectly(.lastAdministratorExpiring, to: admins, payload: payload) }
        }
    }
}
