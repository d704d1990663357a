import Foundation
import GRDB

/// Row mapping and the small reads and writes the use cases share.
enum Tables {
    static func role(_ row: Row) throws -> Role {
        Role(
            id: row["id"], name: row["name"], description: row["description"],
            builtIn: (row["builtin"] as String?).flatMap(BuiltInRole.init(rawValue:)),
            settings: try RoleSettings.fromJSON(row["settings"]),
            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    static let roleSelect = "SELECT role.*, role_settings.settings FROM role JOIN role_settings ON role_settings.role_id = role.id"

    static func fetchRole(_ id: Int64, _ db: Database) throws -> Role? {
        try Row.fetchOne(db, sql: roleSelect + " WHERE role.id = ?", arguments: [id]).map(role)
    }

    static func fetchBuiltIn(_ builtIn: BuiltInRole, _ db: Database) throws -> Role? {
        try Row.fetchOne(db, sql: roleSelect + " WHERE role.builtin = ?", arguments: [builtIn.rawValue]).map(role)
    }

    static func assignment(_ row: Row) -> Assignment {
        Assignment(
            id: row["id"], roleID: row["role_id"],
            principal: PrincipalRef(kind: PrincipalRef.Kind(rawValue: row["principal_kind"]) ?? .user, name: row["principal_name"]),
            type: AssignmentType(rawValue: row["type"]) ?? .eligible,
            start: row["start_at"], end: row["end_at"], isActivation: row["is_activation"],
            eligibilityID: row["eligibility_id"], requestID: row["request_id"],
            justification: row["justification"], createdBy: row["created_by"], createdAt: row["created_at"],
            endedReason: (row["ended_reason"] as String?).flatMap(EndReason.init(rawValue:)),
            endedAt: row["ended_at"], endedBy: row["ended_by"], reminderLevel: row["reminder_level"])
    }

    static func fetchAssignment(_ id: Int64, _ db: Database) throws -> Assignment? {
        try Row.fetchOne(db, sql: "SELECT * FROM assignment WHERE id = ?", arguments: [id]).map(assignment)
    }

    /// Assignments of a role for any of these principals, of one type, not closed by an action.
    static func openAssignments(
        role: Int64, principals: [PrincipalRef], type: AssignmentType, _ db: Database
    ) throws -> [Assignment] {
        guard !principals.isEmpty else { return [] }
        let clauses = principals.map { _ in "(principal_kind = ? AND principal_name = ?)" }.joined(separator: " OR ")
        var arguments: StatementArguments = [role, type.rawValue]
        for p in principals { arguments += [p.kind.rawValue, p.name] }
        return try Row.fetchAll(db, sql: """
            SELECT * FROM assignment WHERE role_id = ? AND type = ? AND ended_reason IS NULL AND (\(clauses))
            """, arguments: arguments).map(assignment)
    }

    static func activeAssignments(role: Int64, at now: Date, _ db: Database) throws -> [Assignment] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM assignment WHERE role_id = ? AND type = 'active'
              AND start_at <= ? AND (end_at IS NULL OR end_at > ?)
            """, arguments: [role, now, now]).map(assignment)
    }

    /// Inserts an assignment. Reminders already due at creation are skipped (nobody needs a
    /// "14 days left" mail for a 3-day assignment), except for PIM Administrator, whose expiry
    /// must never go unnoticed.
    @discardableResult
    static func insert(_ a: Assignment, _ db: Database) throws -> Assignment {
        let isAdministrator = try String.fetchOne(db, sql: "SELECT builtin FROM role WHERE id = ?", arguments: [a.roleID])
            == BuiltInRole.pimAdministrator.rawValue
        let level = isAdministrator ? 0 : SchedulerPolicy.dueReminderLevel(isActivation: a.isActivation, end: a.end, now: a.createdAt)
        try db.execute(sql: """
            INSERT INTO assignment (role_id, principal_kind, principal_name, type, start_at, end_at, is_activation,
              eligibility_id, request_id, justification, created_by, created_at, reminder_level)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [a.roleID, a.principal.kind.rawValue, a.principal.name, a.type.rawValue, a.start, a.end,
                             a.isActivation, a.eligibilityID, a.requestID, a.justification, a.createdBy, a.createdAt, level])
        var stored = a
        stored.id = db.lastInsertedRowID
        stored.reminderLevel = level
        return stored
    }

    /// Cuts the window at `end` and records why and by whom.
    static func close(_ id: Int64, end: Date, reason: EndReason, by actor: String, at now: Date, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE assignment SET end_at = max(start_at, ?), ended_reason = ?, ended_at = ?, ended_by = ? WHERE id = ?
            """, arguments: [end, reason.rawValue, now, actor, id])
    }

    /// Moves the window (update, extend, renew); reminders start over for the new end.
    static func setWindow(_ id: Int64, start: Date, end: Date?, isActivation: Bool, now: Date, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE assignment SET start_at = ?, end_at = ?, ended_reason = NULL, ended_at = NULL, ended_by = NULL,
              reminder_level = ? WHERE id = ?
            """, arguments: [start, end, SchedulerPolicy.dueReminderLevel(isActivation: isActivation, end: end, now: now), id])
    }

    static func request(_ row: Row) -> AccessRequest {
        AccessRequest(
            id: row["id"], kind: RequestKind(rawValue: row["kind"]) ?? .adminAssign,
            status: RequestStatus(rawValue: row["status"]) ?? .failed, roleID: row["role_id"],
            principal: PrincipalRef(kind: PrincipalRef.Kind(rawValue: row["principal_kind"]) ?? .user, name: row["principal_name"]),
            requester: row["requester"], assignmentType: (row["assignment_type"] as String?).flatMap(AssignmentType.init(rawValue:)),
            justification: row["justification"], ticketSystem: row["ticket_system"], ticketNumber: row["ticket_number"],
            requestedStart: row["requested_start"], requestedEnd: row["requested_end"],
            durationSeconds: row["duration_seconds"], targetAssignmentID: row["target_assignment_id"],
            resultAssignmentID: row["result_assignment_id"], approvalsRequired: row["approvals_required"],
            timeoutAt: row["timeout_at"], mfaProven: row["mfa_proven"], createdAt: row["created_at"],
            updatedAt: row["updated_at"], closedAt: row["closed_at"])
    }

    static func fetchRequest(_ id: Int64, _ db: Database) throws -> AccessRequest? {
        try Row.fetchOne(db, sql: "SELECT * FROM request WHERE id = ?", arguments: [id]).map(request)
    }

    @discardableResult
    static func insert(_ r: AccessRequest, _ db: Database) throws -> AccessRequest {
        try db.execute(sql: """
            INSERT INTO request (kind, status, role_id, principal_kind, principal_name, requester, assignment_type,
              justification, ticket_system, ticket_number, requested_start, requested_end, duration_seconds,
              target_assignment_id, result_assignment_id, approvals_required, timeout_at, mfa_proven,
              created_at, updated_at, closed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [r.kind.rawValue, r.status.rawValue, r.roleID, r.principal.kind.rawValue, r.principal.name,
                             r.requester, r.assignmentType?.rawValue, r.justification, r.ticketSystem, r.ticketNumber,
                             r.requestedStart, r.requestedEnd, r.durationSeconds, r.targetAssignmentID,
                             r.resultAssignmentID, r.approvalsRequired, r.timeoutAt, r.mfaProven, r.createdAt,
                             r.updatedAt, r.closedAt])
        var stored = r
        stored.id = db.lastInsertedRowID
        return stored
    }

    static func setStatus(_ id: Int64, _ status: RequestStatus, result: Int64? = nil, at now: Date, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE request SET status = ?, result_assignment_id = coalesce(?, result_assignment_id), updated_at = ?,
              closed_at = CASE WHEN ? THEN ? ELSE closed_at END WHERE id = ?
            """, arguments: [status.rawValue, result, now, status.isFinal, now, id])
    }

    static func approvers(of request: Int64, _ db: Database) throws -> Set<ApproverRef> {
        var result = Set<ApproverRef>()
        for row in try Row.fetchAll(db, sql: "SELECT kind, name FROM request_approver WHERE request_id = ?", arguments: [request]) {
            let name: String = row["name"]
            switch row["kind"] as String {
            case "user": result.insert(.user(name))
            case "group": result.insert(.group(name))
            default: result.insert(.pimAdministrators)
            }
        }
        return result
    }

    static func insertApprovers(_ approvers: Set<ApproverRef>, request: Int64, _ db: Database) throws {
        for approver in approvers {
            let (kind, name): (String, String) = switch approver {
            case .user(let n): ("user", n)
            case .group(let n): ("group", n)
            case .pimAdministrators: ("pimAdministrators", "")
            }
            try db.execute(sql: "INSERT INTO request_approver (request_id, kind, name) VALUES (?, ?, ?)",
                           arguments: [request, kind, name])
        }
    }

    static func decisions(of request: Int64, _ db: Database) throws -> [RequestDecision] {
        try Row.fetchAll(db, sql: "SELECT * FROM request_decision WHERE request_id = ? ORDER BY id", arguments: [request]).map {
            RequestDecision(approver: $0["approver"], decision: ApprovalDecision(rawValue: $0["decision"]) ?? .deny,
                            justification: $0["justification"], decidedAt: $0["decided_at"])
        }
    }
}
