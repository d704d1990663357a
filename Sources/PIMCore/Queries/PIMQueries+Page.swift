public import Foundation
public import GRDB

/// The reads of a signed-in page inside the caller's read transaction, so that the portal reads
/// who the user is (profile, built-in roles held now) and the page's own rows in one trip to
/// the database, with the user's groups looked up once by the caller. `builtInRoles(of:)` and
/// `myRoles(username:)` run these same functions in a read of their own.
extension PIMQueries {
    /// The built-in roles `username` (in `groups`) holds at `now`.
    public static func builtInRoles(username: String, groups: [String], now: Date, in db: Database) throws -> Set<BuiltInRole> {
        // No DISTINCT (a temporary table in SQLite): the set removes duplicates. CROSS JOIN keeps
        // SQLite's loop order: the few built-in roles first, then their active holders. Starting
        // from the user's and groups' assignments (the planner's own choice) walks every
        // eligibility a group has, hundreds of rows on every request. Bound in place: every
        // request of a signed-in user asks this.
        let sql = groups.count < builtInRolesSQLs.count ? builtInRolesSQLs[groups.count] : builtInRolesSQL(groups: groups.count)
        let names = try Tables.all(db, sql, bind: { bindings in
            bindings.bind(username)  // then the groups: `principalClause`'s order
            for group in groups { bindings.bind(group) }
            bindings.bind(now)
            bindings.bind(now)
        }) { $0.string(0) }
        return Set(names.compactMap(BuiltInRole.init(rawValue:)))
    }

    /// The text of `builtInRoles` for 0…16 groups, made once like `principalClause`'s.
    private static let builtInRolesSQLs = (0...16).map(builtInRolesSQL(groups:))

    private static func builtInRolesSQL(groups: Int) -> String {
        """
        SELECT r.builtin FROM role r CROSS JOIN assignment a ON r.id = a.role_id
        WHERE r.builtin IS NOT NULL AND \(principalClause(groups: groups)) AND a.type = 'active'
          AND a.start_at <= ? AND (a.end_at IS NULL OR a.end_at > ?)
        """
    }

    /// Eligible (window not over), active (window not over) and recently expired assignments of
    /// `username` (in `groups`) at `now`: the three tabs of My roles.
    public static func myRoles(username: String, groups: [String], now: Date, expiredLimit: Int = 50,
                               in db: Database) throws -> MyRoles {
        let (clause, arguments) = principalClause(username: username, groups: groups)
        let at = now.storedValue
        // Statements cached by their text (one per number of groups).
        // Sorted here: SQLite's sorter (a temporary b-tree per call) cost more.
        let rows = sortedByRoleNameAndStart(try Tables.all(db, """
            SELECT \(Tables.assignmentColumnsOfA), r.name AS role_name FROM assignment a JOIN role r ON r.id = a.role_id
            WHERE \(clause) AND (a.end_at IS NULL OR a.end_at > ?)
            """, arguments + [at], assignmentRow))
        let expired = expiredLimit == 0 ? [] : try Tables.all(db, """
            SELECT \(Tables.assignmentColumnsOfA), r.name AS role_name FROM assignment a JOIN role r ON r.id = a.role_id
            WHERE \(clause) AND a.end_at <= ? AND (a.ended_reason IS NULL OR a.ended_reason = 'expired')
            ORDER BY a.end_at DESC LIMIT ?
            """, arguments + [at, expiredLimit], assignmentRow)
        return MyRoles(eligible: rows.filter { $0.assignment.type == .eligible },
                       active: rows.filter { $0.assignment.type == .active }, expired: expired)
    }
}

extension PIMQueries {
    /// A role inside the caller's transaction, as `role(id:)`.
    public static func role(id: Int64, in db: Database) throws -> Role? {
        try Tables.fetchRole(id, db)
    }

    /// An assignment inside the caller's transaction, as `assignment(id:)`.
    public static func assignment(id: Int64, in db: Database) throws -> Assignment? {
        try Tables.fetchAssignment(id, db)
    }
}
