import Foundation
import GRDB

/// The reads pages need, each a single indexed query (see Benchmarks/core for figures).
public struct PIMQueries: Sendable {
    public let store: PIMStore
    public let directory: any Directory

    public init(store: PIMStore, directory: any Directory) {
        self.store = store
        self.directory = directory
    }

    var now: Date { store.clock.now() }

    /// Eligible (window not over), active (window not over) and recently expired assignments
    /// of a user, directly or through their groups (`groups`: the caller's lookup, else NSS's).
    public func myRoles(username: String, groups known: [String]? = nil, expiredLimit: Int = 50) async throws -> MyRoles {
        let groups = known ?? directory.groups(ofUser: username)
        let now = self.now
        return try await store.pool.readOffPool { db in
            let (clause, arguments) = Self.principalClause(username: username, groups: groups)
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.*, r.name AS role_name FROM assignment a JOIN role r ON r.id = a.role_id
                WHERE \(clause) AND (a.end_at IS NULL OR a.end_at > ?)
                ORDER BY r.name, a.start_at
                """, arguments: arguments + [now]).map(Self.assignmentRow)
            let expired = try Row.fetchAll(db, sql: """
                SELECT a.*, r.name AS role_name FROM assignment a JOIN role r ON r.id = a.role_id
                WHERE \(clause) AND a.end_at <= ? AND (a.ended_reason IS NULL OR a.ended_reason = 'expired')
                ORDER BY a.end_at DESC LIMIT ?
                """, arguments: arguments + [now, expiredLimit]).map(Self.assignmentRow)
            return MyRoles(eligible: rows.filter { $0.assignment.type == .eligible },
                           active: rows.filter { $0.assignment.type == .active }, expired: expired)
        }
    }

    /// The built-in roles a user holds now (for authorization in the portal).
    public func builtInRoles(of username: String, groups known: [String]? = nil) async throws -> Set<BuiltInRole> {
        let groups = known ?? directory.groups(ofUser: username)
        let now = self.now
        return try await store.pool.readOffPool { db in
            let (clause, arguments) = Self.principalClause(username: username, groups: groups)
            let names = try String.fetchAll(db, sql: """
                SELECT DISTINCT r.builtin FROM assignment a JOIN role r ON r.id = a.role_id
                WHERE r.builtin IS NOT NULL AND \(clause) AND a.type = 'active'
                  AND a.start_at <= ? AND (a.end_at IS NULL OR a.end_at > ?)
                """, arguments: arguments + [now, now])
            return Set(names.compactMap(BuiltInRole.init(rawValue:)))
        }
    }

    /// Pending requests this user may decide and has not answered (never their own).
    public func pendingApprovals(for username: String, groups known: [String]? = nil, limit: Int = 50) async throws -> [RequestRow] {
        let groups = known ?? directory.groups(ofUser: username)
        let isAdmin = try await builtInRoles(of: username, groups: groups).contains(.pimAdministrator)
        return try await store.pool.readOffPool { db in
            var matches = ["(ra.kind = 'user' AND ra.name = ?)"]
            var arguments: StatementArguments = [username]
            if !groups.isEmpty {
                matches.append("(ra.kind = 'group' AND ra.name IN (\(groups.map { _ in "?" }.joined(separator: ","))))")
                arguments += StatementArguments(groups)
            }
            if isAdmin { matches.append("ra.kind = 'pimAdministrators'") }
            let rows = try Row.fetchAll(db, sql: """
                SELECT q.*, r.name AS role_name FROM request q JOIN role r ON r.id = q.role_id
                WHERE q.status = 'PendingApproval' AND q.requester <> ?
                  AND EXISTS (SELECT 1 FROM request_approver ra WHERE ra.request_id = q.id AND (\(matches.joined(separator: " OR "))))
                  AND NOT EXISTS (SELECT 1 FROM request_decision d WHERE d.request_id = q.id AND d.approver = ?)
                ORDER BY q.id LIMIT ?
                """, arguments: [username] + arguments + [username, limit])
            return try Self.requestRows(rows, db)
        }
    }

    /// A user's requests, newest first; `before` is the id of the last row of the previous page.
    public func myRequests(username: String, before: Int64? = nil, limit: Int = 50) async throws -> [RequestRow] {
        try await store.pool.readOffPool { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT q.*, r.name AS role_name FROM request q JOIN role r ON r.id = q.role_id
                WHERE q.requester = ? AND q.id < ? ORDER BY q.id DESC LIMIT ?
                """, arguments: [username, before ?? Int64.max, limit])
            return try Self.requestRows(rows, db)
        }
    }

    public func request(id: Int64) async throws -> RequestRow? {
        try await store.pool.readOffPool { db in
            try Row.fetchOne(db, sql: """
                SELECT q.*, r.name AS role_name FROM request q JOIN role r ON r.id = q.role_id WHERE q.id = ?
                """, arguments: [id]).map { try Self.requestRow($0, db) }
        }
    }

    public func role(id: Int64) async throws -> Role? {
        try await store.pool.readOffPool { try Tables.fetchRole(id, $0) }
    }

    public func assignment(id: Int64) async throws -> Assignment? {
        try await store.pool.readOffPool { try Tables.fetchAssignment(id, $0) }
    }

    /// One tab of a role's assignments, paged by id (`after`: the last id of the previous page).
    public func roleAssignments(roleID: Int64, tab: AssignmentTab, after: Int64? = nil, limit: Int = 50) async throws -> [Assignment] {
        let now = self.now
        return try await store.pool.readOffPool { db in
            let condition = switch tab {
            case .eligible: "type = 'eligible' AND (end_at IS NULL OR end_at > ?)"
            case .active: "type = 'active' AND (end_at IS NULL OR end_at > ?)"
            case .expired: "end_at <= ? AND (ended_reason IS NULL OR ended_reason = 'expired')"
            }
            return try Row.fetchAll(db, sql: """
                SELECT * FROM assignment WHERE role_id = ? AND \(condition) AND id > ? ORDER BY id LIMIT ?
                """, arguments: [roleID, now, after ?? 0, limit]).map(Tables.assignment)
        }
    }

    /// The Roles list: name search (substring, case-insensitive), counts of current assignments.
    public func roles(search: String = "", offset: Int = 0, limit: Int = 50) async throws -> [RoleSummary] {
        let now = self.now
        return try await store.pool.readOffPool { db in
            let pattern = "%" + search.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            return try Row.fetchAll(db, sql: """
                SELECT r.id, r.name, r.description, r.builtin,
                  (SELECT count(*) FROM assignment a WHERE a.role_id = r.id AND a.type = 'eligible'
                     AND (a.end_at IS NULL OR a.end_at > :now)) AS eligible_count,
                  (SELECT count(*) FROM assignment a WHERE a.role_id = r.id AND a.type = 'active'
                     AND (a.end_at IS NULL OR a.end_at > :now) AND a.start_at <= :now) AS active_count,
                  (SELECT count(*) FROM assignment a WHERE a.role_id = r.id AND a.type = 'active'
                     AND a.end_at IS NULL AND a.start_at <= :now) AS permanent_count
                FROM (SELECT * FROM role WHERE name LIKE :pattern ESCAPE '\\'
                      ORDER BY builtin IS NULL, name LIMIT :limit OFFSET :offset) r
                ORDER BY r.builtin IS NULL, r.name
                """, arguments: ["now": now, "pattern": pattern, "limit": limit, "offset": offset]).map {
                RoleSummary(id: $0["id"], name: $0["name"], description: $0["description"],
                            builtIn: ($0["builtin"] as String?).flatMap(BuiltInRole.init(rawValue:)),
                            eligibleCount: $0["eligible_count"], activeCount: $0["active_count"],
                            permanentActiveCount: $0["permanent_count"])
            }
        }
    }

    /// What the home page points out to a user.
    public func attention(for username: String, groups known: [String]? = nil) async throws -> AttentionItems {
        let groups = known ?? directory.groups(ofUser: username)
        let approvals = try await pendingApprovals(for: username, groups: groups).count
        let roles = try await myRoles(username: username, groups: groups, expiredLimit: 0)
        let now = self.now
        let mine = try await store.pool.readOffPool { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM request WHERE requester = ? AND status = 'PendingApproval'",
                             arguments: [username]) ?? 0
        }
        let soon = (roles.eligible + roles.active).filter { row in
            guard let end = row.assignment.end, !row.assignment.isActivation else { return false }
            return end.timeIntervalSince(now) <= SchedulerPolicy.fourteenDays
        }
        return AttentionItems(pendingApprovals: approvals, myPendingRequests: mine,
                              activeRoles: roles.active.filter { $0.assignment.covers(now) }.count, expiringSoon: soon)
    }

    static func principalClause(username: String, groups: [String]) -> (String, StatementArguments) {
        var clause = "((a.principal_kind = 'user' AND a.principal_name = ?)"
        var arguments: StatementArguments = [username]
        if !groups.isEmpty {
            clause += " OR (a.principal_kind = 'group' AND a.principal_name IN (\(groups.map { _ in "?" }.joined(separator: ","))))"
            arguments += StatementArguments(groups)
        }
        return (clause + ")", arguments)
    }

    static func assignmentRow(_ row: Row) -> RoleAssignmentRow {
        let a = Tables.assignment(row)
        return RoleAssignmentRow(assignment: a, roleName: row["role_name"], viaGroup: a.principal.kind == .group ? a.principal.name : nil)
    }

    /// Request rows with their decisions, read in one query for the whole page.
    static func requestRows(_ rows: [Row], _ db: Database) throws -> [RequestRow] {
        let requests = rows.map { (Tables.request($0), $0["role_name"] as String) }
        guard !requests.isEmpty else { return [] }
        var decisions: [Int64: [RequestDecision]] = [:]
        let ids = requests.map(\.0.id)
        for row in try Row.fetchAll(db, sql: """
            SELECT * FROM request_decision WHERE request_id IN (\(ids.map { _ in "?" }.joined(separator: ","))) ORDER BY id
            """, arguments: StatementArguments(ids)) {
            decisions[row["request_id"], default: []].append(RequestDecision(
                approver: row["approver"], decision: ApprovalDecision(rawValue: row["decision"]) ?? .deny,
                justification: row["justification"], decidedAt: row["decided_at"]))
        }
        return requests.map { RequestRow(request: $0.0, roleName: $0.1, decisions: decisions[$0.0.id] ?? []) }
    }

    static func requestRow(_ row: Row, _ db: Database) throws -> RequestRow {
        let request = Tables.request(row)
        return RequestRow(request: request, roleName: row["role_name"], decisions: try Tables.decisions(of: request.id, db))
    }
}
