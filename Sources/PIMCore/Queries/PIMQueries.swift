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
        return try await store.readOffPool { db in
            try Self.myRoles(username: username, groups: groups, now: now, expiredLimit: expiredLimit, in: db)
        }
    }

    /// The built-in roles a user holds now (for authorization in the portal).
    public func builtInRoles(of username: String, groups known: [String]? = nil) async throws -> Set<BuiltInRole> {
        let groups = known ?? directory.groups(ofUser: username)
        let now = self.now
        return try await store.readOffPool { db in
            try Self.builtInRoles(username: username, groups: groups, now: now, in: db)
        }
    }

    /// Pending requests this user may decide and has not answered (never their own).
    public func pendingApprovals(for username: String, groups known: [String]? = nil, limit: Int = 50) async throws -> [RequestRow] {
        let groups = known ?? directory.groups(ofUser: username)
        let isAdmin = try await builtInRoles(of: username, groups: groups).contains(.pimAdministrator)
        return try await store.readOffPool { db in
            var matches = ["(ra.kind = 'user' AND ra.name = ?)"]
            var arguments: StatementArguments = [username]
            if !groups.isEmpty {
                matches.append("(ra.kind = 'group' AND ra.name IN (\(groups.map { _ in "?" }.joined(separator: ","))))")
                arguments += StatementArguments(groups.map { $0 as (any DatabaseValueConvertible)? })
            }
            if isAdmin { matches.append("ra.kind = 'pimAdministrators'") }
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Tables.requestColumnsOfQ), r.name AS role_name FROM request q JOIN role r ON r.id = q.role_id
                WHERE q.status = 'PendingApproval' AND q.requester <> ?
                  AND EXISTS (SELECT 1 FROM request_approver ra WHERE ra.request_id = q.id AND (\(matches.joined(separator: " OR "))))
                  AND NOT EXISTS (SELECT 1 FROM request_decision d WHERE d.request_id = q.id AND d.approver = ?)
                ORDER BY q.id LIMIT ?
                """), arguments: [username] + arguments + [username, limit])
            return try Self.requestRows(rows, db)
        }
    }

    /// A user's requests, newest first; `before` is the id of the last row of the previous page.
    public func myRequests(username: String, before: Int64? = nil, limit: Int = 50) async throws -> [RequestRow] {
        try await store.readOffPool { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Tables.requestColumnsOfQ), r.name AS role_name FROM request q JOIN role r ON r.id = q.role_id
                WHERE q.requester = ? AND q.id < ? ORDER BY q.id DESC LIMIT ?
                """), arguments: [username, before ?? Int64.max, limit])
            return try Self.requestRows(rows, db)
        }
    }

    public func request(id: Int64) async throws -> RequestRow? {
        try await store.readOffPool { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT \(Tables.requestColumnsOfQ), r.name AS role_name FROM request q JOIN role r ON r.id = q.role_id WHERE q.id = ?
                """), arguments: [id]).map { try Self.requestRow($0, db) }
        }
    }

    public func role(id: Int64) async throws -> Role? {
        try await store.readOffPool { try Tables.fetchRole(id, $0) }
    }

    public func assignment(id: Int64) async throws -> Assignment? {
        try await store.readOffPool { try Tables.fetchAssignment(id, $0) }
    }

    /// One tab of a role's assignments, paged by id (`after`: the last id of the previous page).
    public func roleAssignments(roleID: Int64, tab: AssignmentTab, after: Int64? = nil, limit: Int = 50) async throws -> [Assignment] {
        let now = self.now
        return try await store.readOffPool { db in
            let condition = switch tab {
            case .eligible: "type = 'eligible' AND (end_at IS NULL OR end_at > ?)"
            case .active: "type = 'active' AND (end_at IS NULL OR end_at > ?)"
            case .expired: "end_at <= ? AND (ended_reason IS NULL OR ended_reason = 'expired')"
            }
            return try Tables.all(db, """
                SELECT \(Tables.assignmentColumns) FROM assignment WHERE role_id = ? AND \(condition) AND id > ? ORDER BY id LIMIT ?
                """, [roleID, now, after ?? 0, limit], Tables.assignment)
        }
    }

    /// The Roles list: name search (substring, case-insensitive), counts of current assignments.
    public func roles(search: String = "", offset: Int = 0, limit: Int = 50) async throws -> [RoleSummary] {
        let now = self.now
        return try await store.readOffPool { db in
            let pattern = "%" + search.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            return try Row.fetchAll(db.cachedStatement(sql: """
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
                """), arguments: ["now": now.storedValue, "pattern": pattern, "limit": limit, "offset": offset]).map {
                RoleSummary(id: $0[0], name: $0[1], description: $0[2],
                            builtIn: ($0[3] as String?).flatMap(BuiltInRole.init(rawValue:)),
                            eligibleCount: $0[4], activeCount: $0[5], permanentActiveCount: $0[6])
            }
        }
    }

    /// What the home page points out to a user.
    public func attention(for username: String, groups known: [String]? = nil) async throws -> AttentionItems {
        let groups = known ?? directory.groups(ofUser: username)
        let approvals = try await pendingApprovals(for: username, groups: groups).count
        let roles = try await myRoles(username: username, groups: groups, expiredLimit: 0)
        let now = self.now
        let mine = try await store.readOffPool { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM request WHERE requester = ? AND status = 'PendingApproval'"),
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
        // Values as `DatabaseValueConvertible?`: GRDB's initializer for a sequence of strings maps
        // them through a key path, which the runtime instantiates anew on every request.
        let arguments = StatementArguments(([username] + groups).map { $0 as (any DatabaseValueConvertible)? })
        return (principalClause(groups: groups.count), arguments)
    }

    /// The clause's SQL for 0…16 groups, built once: every page of every user asks for it.
    private static let principalClauses = (0...16).map(makePrincipalClause(groups:))

    /// The clause for a user and `groups` groups: the user's name, then each group's, as parameters.
    static func principalClause(groups: Int) -> String {
        groups < principalClauses.count ? principalClauses[groups] : makePrincipalClause(groups: groups)
    }

    private static func makePrincipalClause(groups: Int) -> String {
        guard groups > 0 else { return "((a.principal_kind = 'user' AND a.principal_name = ?))" }
        let marks = Array(repeating: "?", count: groups).joined(separator: ",")
        return "((a.principal_kind = 'user' AND a.principal_name = ?) OR (a.principal_kind = 'group' AND a.principal_name IN (\(marks))))"
    }

    /// `ORDER BY r.name, a.start_at` as SQLite sorts: role names under their NOCASE collation
    /// (ASCII letters folded, then UTF-8 bytes), then start; ties keep the order rows came in.
    static func sortedByRoleNameAndStart(_ rows: [RoleAssignmentRow]) -> [RoleAssignmentRow] {
        // NOCASE: the UTF-8 bytes with ASCII letters lowered, compared as memcmp then by length.
        // (Copied whole, then folded in place: mapping the UTF-8 view byte by byte cost more than the sort.)
        let names = rows.map { row in
            var bytes = Array(row.roleName.utf8)
            for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A { bytes[i] += 0x20 }
            return bytes
        }
        func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    let common = min(a.count, b.count)
                    let bytes = common == 0 ? 0 : Int(memcmp(a.baseAddress!, b.baseAddress!, common))
                    return bytes != 0 ? bytes : a.count - b.count
                }
            }
        }
        let starts = rows.map(\.assignment.start)
        let order = rows.indices.sorted { i, j in
            let byName = compare(names[i], names[j])
            if byName != 0 { return byName < 0 }
            return starts[i] != starts[j] ? starts[i] < starts[j] : i < j
        }
        return order.map { rows[$0] }
    }

    static func assignmentRow(_ row: some ColumnReader) -> RoleAssignmentRow {
        let a = Tables.assignment(row)
        // The role's name follows the assignment's columns.
        return RoleAssignmentRow(assignment: a, roleName: row.string(Tables.assignmentColumnNames.count),
                                 viaGroup: a.principal.kind == .group ? a.principal.name : nil)
    }

    /// Request rows with their decisions, read in one query for the whole page.
    static func requestRows(_ rows: [Row], _ db: Database) throws -> [RequestRow] {
        // The role's name follows the request's columns.
        let requests = rows.map { (Tables.request($0), $0.string(Tables.requestColumnNames.count)) }
        guard !requests.isEmpty else { return [] }
        var decisions: [Int64: [RequestDecision]] = [:]
        let ids = requests.map(\.0.id)
        // Not a cached statement: its text changes with the page's number of requests.
        let rows = try StatementColumnsCursor(db.makeStatement(sql: """
            SELECT request_id, approver, decision, justification, decided_at FROM request_decision
            WHERE request_id IN (\(ids.map { _ in "?" }.joined(separator: ","))) ORDER BY id
            """), arguments: StatementArguments(ids))
        let decision = Tables.decision(from: 1)
        while let row = try rows.next() {
            decisions[row.int64(0), default: []].append(decision(row))
        }
        return requests.map { RequestRow(request: $0.0, roleName: $0.1, decisions: decisions[$0.0.id] ?? []) }
    }

    static func requestRow(_ row: Row, _ db: Database) throws -> RequestRow {
        let request = Tables.request(row)
        return RequestRow(request: request, roleName: row.string(Tables.requestColumnNames.count),
                          decisions: try Tables.decisions(of: request.id, db))
    }
}
