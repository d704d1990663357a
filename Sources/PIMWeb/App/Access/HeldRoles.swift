import Foundation
import GRDB
import PIMCore

/// The built-in PIM roles a user holds right now, directly or through a group: the portal eats
/// its own cooking, so access to Manage and Activity comes from PIM assignments whose window
/// covers `now` (start ≤ now < end), never from a job having run.
struct HeldRoles: Sendable, Equatable {
    var isAdministrator: Bool
    var isSecurityReader: Bool

    init(isAdministrator: Bool = false, isSecurityReader: Bool = false) {
        self.isAdministrator = isAdministrator
        self.isSecurityReader = isSecurityReader
    }

    static let none = HeldRoles()

    /// May read Manage pages and the resource audit.
    var canReadManagement: Bool { isAdministrator || isSecurityReader }
    /// May change roles, assignments and settings.
    var canManage: Bool { isAdministrator }

    /// Looks the roles up for `username`, whose NSS groups are `groups`.
    static func load(username: String, groups: [String], now: Date, in db: Database) throws -> HeldRoles {
        let groupMarks = groups.isEmpty ? "" : " OR (a.principal_kind = 'group' AND a.principal_name IN (\(databaseQuestionMarks(count: groups.count))))"
        var arguments: [any DatabaseValueConvertible] = [now, now, username]
        arguments += groups
        let held = try String.fetchAll(db, sql: """
            SELECT DISTINCT r.builtin FROM assignment a JOIN role r ON r.id = a.role_id
            WHERE r.builtin IS NOT NULL AND a.type = 'active' AND a.ended_reason IS NULL
              AND a.start_at <= ? AND (a.end_at IS NULL OR a.end_at > ?)
              AND ((a.principal_kind = 'user' AND a.principal_name = ?)\(groupMarks))
            """, arguments: StatementArguments(arguments))
        return HeldRoles(
            isAdministrator: held.contains(BuiltInRole.pimAdministrator.rawValue),
            isSecurityReader: held.contains(BuiltInRole.securityReader.rawValue))
    }
}
