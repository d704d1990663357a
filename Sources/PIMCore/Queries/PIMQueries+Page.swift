public import Foundation
public import GRDB

/// The reads of a signed-in page inside the caller's read transaction, so that the portal reads
/// who the user is (profile, built-in roles held now) and the page's own rows in one trip to
/// the database, with the user's groups looked up once by the caller. The SQL is the same as
/// `builtInRoles(of:)` and `myRoles(username:)`; statements are cached per connection (the
/// text only varies with the number of groups), and `now` is turned into its stored text once
/// per query (GRDB formats every bound Date with a DateFormatter).
extension PIMQueries {
    /// The built-in roles `username` (in `groups`) holds at `now`, as `builtInRoles(of:)`.
    public static func builtInRoles(username: String, groups: [String], now: Date, in db: Database) throws -> Set<BuiltInRole> {
        let (clause, arguments) = principalClause(username: username, groups: groups)
        let statement = try db.cachedStatement(sql: """
            SELECT DISTINCT r.builtin FROM assignment a JOIN role r ON r.id = a.role_id
            WHERE r.builtin IS NOT NULL AND \(clause) AND a.type = 'active'
              AND a.start_at <= ? AND (a.end_at IS NULL OR a.end_at > ?)
            """)
        let at = now.databaseValue
        let names = try String.fetchAll(statement, arguments: arguments + [at, at])
        return Set(names.compactMap(BuiltInRole.init(rawValue:)))
    }

    /// The three tabs of My roles for `username` (in `groups`) at `now`, as `myRoles(username:)`.
    public static func myRoles(username: String, groups: [String], now: Date, expiredLimit: Int = 50,
                               in db: Database) throws -> MyRoles {
        let (clause, arguments) = principalClause(username: username, groups: groups)
        let current = try db.cachedStatement(sql: """
            SELECT a.*, r.name AS role_name FROM assignment a JOIN role r ON r.id = a.role_id
            WHERE \(clause) AND (a.end_at IS NULL OR a.end_at > ?)
            ORDER BY r.name, a.start_at
            """)
        let at = now.databaseValue
        let rows = try Row.fetchAll(current, arguments: arguments + [at]).map(assignmentRow)
        var expired: [RoleAssignmentRow] = []
        if expiredLimit > 0 {
            let ended = try db.cachedStatement(sql: """
                SELECT a.*, r.name AS role_name FROM assignment a JOIN role r ON r.id = a.role_id
                WHERE \(clause) AND a.end_at <= ? AND (a.ended_reason IS NULL OR a.ended_reason = 'expired')
                ORDER BY a.end_at DESC LIMIT ?
                """)
            expired = try Row.fetchAll(ended, arguments: arguments + [at, expiredLimit]).map(assignmentRow)
        }
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
