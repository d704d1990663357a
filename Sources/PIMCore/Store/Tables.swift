import Foundation
import GRDB

/// Row mapping and the small reads and writes the use cases share.
enum Tables {
    // Rows are decoded by column index, not by name: GRDB's name lookup lowercases and hashes
    // the name on every access, a large share of a page's CPU. Each decoder has the column
    // list its SELECTs use, so the indexes cannot drift from the query.

    /// The columns `role(_:)` decodes, in order (role's columns, then the settings text).
    static let roleColumns = "role.id, role.name, role.description, role.builtin, role.created_at, role.updated_at, role_settings.settings"

    static func role(_ row: some ColumnReader) throws -> Role {
        Role(
            id: row.int64(0), name: row.string(1), description: row.string(2),
            builtIn: row.optionalString(3).flatMap(BuiltInRole.init(rawValue:)),
            settings: try row.withText(6) { try RoleSettings.fromJSON(bytes: $0) },
            createdAt: row.date(4), updatedAt: row.date(5))
    }

    static let roleSelect = "SELECT \(roleColumns) FROM role JOIN role_settings ON role_settings.role_id = role.id"
    private static let roleByID = roleSelect + " WHERE role.id = ?"
    private static let roleByBuiltIn = roleSelect + " WHERE role.builtin = ?"

    static func fetchRole(_ id: Int64, _ db: Database) throws -> Role? {
        try one(db, roleByID, bind: { $0.bind(id) }, role)
    }

    static func fetchBuiltIn(_ builtIn: BuiltInRole, _ db: Database) throws -> Role? {
        try one(db, roleByBuiltIn, [builtIn.rawValue], role)
    }

    /// The id of a built-in role, without decoding the role.
    static func builtInID(_ builtIn: BuiltInRole, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM role WHERE builtin = ?"), arguments: [builtIn.rawValue])
    }

    /// The columns of `assignment` in table order, as `assignment(_:)` decodes them; a query
    /// may select more columns after them (`PIMQueries` adds the role's name).
    static let assignmentColumnNames = [
        "id", "role_id", "principal_kind", "principal_name", "type", "start_at", "end_at", "is_activation",
        "eligibility_id", "request_id", "justification", "created_by", "created_at", "ended_reason", "ended_at",
        "ended_by", "reminder_level",
    ]
    static let assignmentColumns = assignmentColumnNames.joined(separator: ", ")
    /// The same, qualified by the alias `a`.
    static let assignmentColumnsOfA = assignmentColumnNames.map { "a." + $0 }.joined(separator: ", ")

    static func assignment(_ row: some ColumnReader) -> Assignment {
        Assignment(
            id: row.int64(0), roleID: row.int64(1),
            principal: PrincipalRef(kind: PrincipalRef.Kind(rawValue: row.string(2)) ?? .user, name: row.string(3)),
            type: AssignmentType(rawValue: row.string(4)) ?? .eligible,
            start: row.date(5), end: row.optionalDate(6), isActivation: row.bool(7),
            eligibilityID: row.optionalInt64(8), requestID: row.optionalInt64(9),
            justification: row.optionalString(10), createdBy: row.string(11), createdAt: row.date(12),
            endedReason: row.optionalString(13).flatMap(EndReason.init(rawValue:)),
            endedAt: row.optionalDate(14), endedBy: row.optionalString(15), reminderLevel: row.int(16))
    }

    static func fetchAssignment(_ id: Int64, _ db: Database) throws -> Assignment? {
        try one(db, "SELECT \(assignmentColumns) FROM assignment WHERE id = ?", bind: { $0.bind(id) }, assignment)
    }

    /// Assignments of a role for any of these principals, of one type, not closed by an action.
    static func openAssignments(
        role: Int64, principals: [PrincipalRef], type: AssignmentType, _ db: Database
    ) throws -> [Assignment] {
        let open = try openAssignments(role: role, principals: principals, db)
        return type == .eligible ? open.eligible : open.active
    }

    /// Eligible and active assignments of a role for any of these principals, not closed by an
    /// action: `openAssignments` of both types in one query.
    static func openAssignments(
        role: Int64, principals: [PrincipalRef], _ db: Database
    ) throws -> (eligible: [Assignment], active: [Assignment]) {
        guard !principals.isEmpty else { return ([], []) }
        let open = try all(db, openAssignmentsSQL(principalCount: principals.count),
                           bind: { bindPrincipals(principals, role: role, &$0) }, assignment)
        return (open.filter { $0.type == .eligible }, open.filter { $0.type == .active })
    }

    /// The query of `openAssignments(role:principals:)`. Every assignment is eligible or active
    /// (a CHECK says so): no filter on the type, which as an IN list would cost SQLite a
    /// temporary table per call.
    static func openAssignmentsSQL(principalCount: Int) -> String {
        principalCount < openAssignmentsSQLs.count ? openAssignmentsSQLs[principalCount] : makeOpenAssignmentsSQL(principalCount)
    }

    /// The text for up to 32 principals, made once (making it was 7K instructions per activation).
    private static let openAssignmentsSQLs = (0..<33).map(makeOpenAssignmentsSQL)

    private static func makeOpenAssignmentsSQL(_ principalCount: Int) -> String {
        "SELECT \(assignmentColumns) FROM assignment WHERE ended_reason IS NULL AND (\(principalTerms(principalCount)))"
    }

    /// `(principal_kind = ? AND principal_name = ? AND role_id = ?) OR …`: with the role in every
    /// term SQLite seeks `assignment_by_principal` once per principal (a multi-index OR), where
    /// `role_id = ?` outside the OR had it read every assignment of the role, which grows with
    /// each activation of anyone.
    private static func principalTerms(_ count: Int) -> String {
        Array(repeating: "(principal_kind = ? AND principal_name = ? AND role_id = ?)", count: count).joined(separator: " OR ")
    }

    /// The values of `principalTerms`, in order.
    private static func bindPrincipals(_ principals: [PrincipalRef], role: Int64, _ bindings: inout StatementBindings) {
        for p in principals {
            bindings.bind(p.kind.rawValue)
            bindings.bind(p.name)
            bindings.bind(role)
        }
    }

    /// The principals of `activeAssignments`: only what `HoldingPolicy` needs to name holders.
    static func activePrincipals(role: Int64, at now: Date, _ db: Database) throws -> [PrincipalRef] {
        try active("principal_kind, principal_name", role: role, at: now, db) {
            PrincipalRef(kind: PrincipalRef.Kind(rawValue: $0.string(0)) ?? .user, name: $0.string(1))
        }
    }

    static func activeAssignments(role: Int64, at now: Date, _ db: Database) throws -> [Assignment] {
        try active(assignmentColumns, role: role, at: now, db, assignment)
    }

    /// `columns` of a role's active assignments that cover `now`.
    private static func active<T>(
        _ columns: String, role: Int64, at now: Date, _ db: Database, _ decode: (StatementColumns) throws -> T
    ) throws -> [T] {
        let now = UTCText.stored(now)
        return try all(db, """
            SELECT \(columns) FROM assignment WHERE role_id = ? AND type = 'active'
              AND start_at <= ? AND (end_at IS NULL OR end_at > ?)
            """, bind: { $0.bind(role); $0.bind(now); $0.bind(now) }, decode)
    }

    /// Inserts an assignment. Reminders already due at creation are skipped (nobody needs a
    /// "14 days left" mail for a 3-day assignment), except for PIM Administrator, whose expiry
    /// must never go unnoticed.
    /// `isAdministratorRole`: whether the role is PIM Administrator (`WriteContext.insert` knows).
    @discardableResult
    static func insert(_ a: Assignment, isAdministratorRole isAdministrator: Bool, _ db: Database) throws -> Assignment {
        let level = isAdministrator ? 0 : SchedulerPolicy.dueReminderLevel(isActivation: a.isActivation, end: a.end, now: a.createdAt)
        try db.write(cached: """
            INSERT INTO assignment (role_id, principal_kind, principal_name, type, start_at, end_at, is_activation,
              eligibility_id, request_id, justification, created_by, created_at, reminder_level)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) {
            $0.bind(a.roleID); $0.bind(a.principal.kind.rawValue); $0.bind(a.principal.name); $0.bind(a.type.rawValue)
            $0.bind(a.start); $0.bind(a.end); $0.bind(a.isActivation); $0.bind(a.eligibilityID); $0.bind(a.requestID)
            $0.bind(a.justification); $0.bind(a.createdBy); $0.bind(a.createdAt); $0.bind(level)
        }
        var stored = a
        stored.id = db.lastInsertedRowID
        stored.reminderLevel = level
        return stored
    }

    /// Cuts the window at `end` and records why and by whom.
    static func close(_ id: Int64, end: Date, reason: EndReason, by actor: String, at now: Date, _ db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE assignment SET end_at = max(start_at, ?), ended_reason = ?, ended_at = ?, ended_by = ? WHERE id = ?
            """).execute(arguments: [end.storedValue, reason.rawValue, now.storedValue, actor, id])
    }

    /// Moves the window (update, extend, renew); reminders start over for the new end.
    static func setWindow(_ id: Int64, start: Date, end: Date?, isActivation: Bool, now: Date, _ db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE assignment SET start_at = ?, end_at = ?, ended_reason = NULL, ended_at = NULL, ended_by = NULL,
              reminder_level = ? WHERE id = ?
            """).execute(arguments: [start.storedValue, end?.storedValue, SchedulerPolicy.dueReminderLevel(isActivation: isActivation, end: end, now: now), id])
    }

    /// The columns of `request` in table order, as `request(_:)` decodes them.
    static let requestColumnNames = [
        "id", "kind", "status", "role_id", "principal_kind", "principal_name", "requester", "assignment_type",
        "justification", "ticket_system", "ticket_number", "requested_start", "requested_end", "duration_seconds",
        "target_assignment_id", "result_assignment_id", "approvals_required", "timeout_at", "mfa_proven",
        "created_at", "updated_at", "closed_at",
    ]
    static let requestColumns = requestColumnNames.joined(separator: ", ")
    /// The same, qualified by the alias `q`.
    static let requestColumnsOfQ = requestColumnNames.map { "q." + $0 }.joined(separator: ", ")

    static func request(_ row: some ColumnReader) -> AccessRequest {
        AccessRequest(
            id: row.int64(0), kind: RequestKind(rawValue: row.string(1)) ?? .adminAssign,
            status: RequestStatus(rawValue: row.string(2)) ?? .failed, roleID: row.int64(3),
            principal: PrincipalRef(kind: PrincipalRef.Kind(rawValue: row.string(4)) ?? .user, name: row.string(5)),
            requester: row.string(6), assignmentType: row.optionalString(7).flatMap(AssignmentType.init(rawValue:)),
            justification: row.optionalString(8), ticketSystem: row.optionalString(9), ticketNumber: row.optionalString(10),
            requestedStart: row.optionalDate(11), requestedEnd: row.optionalDate(12),
            durationSeconds: row.optionalInt(13), targetAssignmentID: row.optionalInt64(14),
            resultAssignmentID: row.optionalInt64(15), approvalsRequired: row.int(16),
            timeoutAt: row.optionalDate(17), mfaProven: row.bool(18), createdAt: row.date(19),
            updatedAt: row.date(20), closedAt: row.optionalDate(21))
    }

    static func fetchRequest(_ id: Int64, _ db: Database) throws -> AccessRequest? {
        try one(db, "SELECT \(requestColumns) FROM request WHERE id = ?", [id], request)
    }

    @discardableResult
    static func insert(_ r: AccessRequest, _ db: Database) throws -> AccessRequest {
        try db.write(cached: """
            INSERT INTO request (kind, status, role_id, principal_kind, principal_name, requester, assignment_type,
              justification, ticket_system, ticket_number, requested_start, requested_end, duration_seconds,
              target_assignment_id, result_assignment_id, approvals_required, timeout_at, mfa_proven,
              created_at, updated_at, closed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) {
            $0.bind(r.kind.rawValue); $0.bind(r.status.rawValue); $0.bind(r.roleID); $0.bind(r.principal.kind.rawValue)
            $0.bind(r.principal.name); $0.bind(r.requester); $0.bind(r.assignmentType?.rawValue); $0.bind(r.justification)
            $0.bind(r.ticketSystem); $0.bind(r.ticketNumber); $0.bind(r.requestedStart); $0.bind(r.requestedEnd)
            $0.bind(r.durationSeconds); $0.bind(r.targetAssignmentID); $0.bind(r.resultAssignmentID)
            $0.bind(r.approvalsRequired); $0.bind(r.timeoutAt); $0.bind(r.mfaProven); $0.bind(r.createdAt)
            $0.bind(r.updatedAt); $0.bind(r.closedAt)
        }
        var stored = r
        stored.id = db.lastInsertedRowID
        return stored
    }

    static func setStatus(_ id: Int64, _ status: RequestStatus, result: Int64? = nil, at now: Date, _ db: Database) throws {
        let now = now.storedValue
        try db.cachedStatement(sql: """
            UPDATE request SET status = ?, result_assignment_id = coalesce(?, result_assignment_id), updated_at = ?,
              closed_at = CASE WHEN ? THEN ? ELSE closed_at END WHERE id = ?
            """).execute(arguments: [status.rawValue, result, now, status.isFinal, now, id])
    }

    static func setResult(_ id: Int64, _ assignment: Int64, _ db: Database) throws {
        try db.write(cached: "UPDATE request SET result_assignment_id = ? WHERE id = ?") { $0.bind(assignment); $0.bind(id) }
    }

    static func approvers(of request: Int64, _ db: Database) throws -> Set<ApproverRef> {
        var result = Set<ApproverRef>()
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT kind, name FROM request_approver WHERE request_id = ?"),
                                    arguments: [request]) {
            let name: String = row[1]
            switch row[0] as String {
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
            try db.cachedStatement(sql: "INSERT INTO request_approver (request_id, kind, name) VALUES (?, ?, ?)")
                .execute(arguments: [request, kind, name])
        }
    }

    static func decisions(of request: Int64, _ db: Database) throws -> [RequestDecision] {
        try all(db, """
            SELECT approver, decision, justification, decided_at FROM request_decision WHERE request_id = ? ORDER BY id
            """, [request], decision(from: 0))
    }

    /// A `request_decision` row whose `approver` column is at `first` (then decision,
    /// justification, decided_at).
    static func decision(from first: Int) -> (StatementColumns) -> RequestDecision {
        { row in
            RequestDecision(approver: row.string(first), decision: ApprovalDecision(rawValue: row.string(first + 1)) ?? .deny,
                            justification: row.optionalString(first + 2), decidedAt: row.date(first + 3))
        }
    }
}
