import Foundation
import GRDB
import PIMCore

/// A role as the Manage pages list it.
struct RoleSummary: Sendable, Equatable {
    var id: Int64
    var name: String
    var description: String
    var builtIn: BuiltInRole?
    var eligible = 0
    var active = 0
    var permanentActive = 0
}

/// A role with its settings and who changed them last.
struct RoleDetail: Sendable {
    var summary: RoleSummary
    var settings: RoleSettings
    var settingsUpdatedAt: Date
    var settingsUpdatedBy: String
}

/// One row of a role page's assignment tabs.
struct AssignmentRow: Sendable, Equatable {
    var id: Int64
    var principal: PrincipalRef
    var type: AssignmentType
    var start: Date
    var end: Date?
    var isActivation: Bool
    var createdBy: String
    var endedReason: EndReason?
}

/// Which assignments a role page tab shows.
enum AssignmentTab: String, Sendable, CaseIterable {
    case eligible, active, expired

    var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// Reads for the Manage pages (bound parameters only). Counting follows SPEC.md: who holds a role
/// is decided by the window at `now`, not by whether a background job has run.
enum RoleQueries {
    static func list(search: String, now: Date, in db: Database) throws -> [RoleSummary] {
        let needle = search.trimmingCharacters(in: .whitespaces)
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.id, r.name, r.description, r.builtin,
              (SELECT count(*) FROM assignment a WHERE a.role_id = r.id AND a.type = 'eligible'
                 AND a.ended_reason IS NULL AND (a.end_at IS NULL OR a.end_at > :now)) AS eligible,
              (SELECT count(*) FROM assignment a WHERE a.role_id = r.id AND a.type = 'active'
                 AND a.ended_reason IS NULL AND a.start_at <= :now AND (a.end_at IS NULL OR a.end_at > :now)) AS active,
              (SELECT count(*) FROM assignment a WHERE a.role_id = r.id AND a.type = 'active'
                 AND a.ended_reason IS NULL AND a.start_at <= :now AND a.end_at IS NULL) AS permanent
            FROM role r
            WHERE :needle = '' OR instr(lower(r.name), lower(:needle)) > 0 OR instr(lower(r.description), lower(:needle)) > 0
            ORDER BY r.builtin IS NULL, r.name COLLATE NOCASE
            """, arguments: ["now": now, "needle": needle])
        return rows.map { row in
            var summary = summary(row)
            summary.eligible = row["eligible"]
            summary.active = row["active"]
            summary.permanentActive = row["permanent"]
            return summary
        }
    }

    static func role(_ id: Int64, now: Date, in db: Database) throws -> RoleDetail? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT r.id, r.name, r.description, r.builtin, s.settings, s.updated_at, s.updated_by
            FROM role r JOIN role_settings s ON s.role_id = r.id WHERE r.id = ?
            """, arguments: [id]) else { return nil }
        let text: String = row["settings"]
        let settings = try JSONDecoder().decode(RoleSettings.self, from: Data(text.utf8))
        return RoleDetail(summary: summary(row), settings: settings,
                          settingsUpdatedAt: row["updated_at"], settingsUpdatedBy: row["updated_by"])
    }

    /// Every role, by name, for selects.
    static func names(in db: Database) throws -> [(id: Int64, name: String)] {
        try Row.fetchAll(db, sql: "SELECT id, name FROM role ORDER BY name COLLATE NOCASE").map { ($0["id"], $0["name"]) }
    }

    static func assignments(role: Int64, tab: AssignmentTab, now: Date, in db: Database) throws -> [AssignmentRow] {
        let condition: String
        switch tab {
        case .eligible:
            condition = "type = 'eligible' AND ended_reason IS NULL AND (end_at IS NULL OR end_at > :now)"
        case .active:
            condition = "type = 'active' AND ended_reason IS NULL AND (end_at IS NULL OR end_at > :now)"
        case .expired:
            condition = "(ended_reason IS NOT NULL OR end_at <= :now)"
        }
        let order = tab == .expired ? "coalesce(ended_at, end_at) DESC LIMIT 200" : "principal_kind DESC, principal_name, start_at"
        return try Row.fetchAll(db, sql: """
            SELECT id, principal_kind, principal_name, type, start_at, end_at, is_activation, created_by, ended_reason
            FROM assignment WHERE role_id = :role AND \(condition) ORDER BY \(order)
            """, arguments: ["role": role, "now": now]).map(assignmentRow)
    }

    /// The role and tab an assignment is shown on, for answering its row actions.
    static func assignment(_ id: Int64, in db: Database) throws -> (row: AssignmentRow, roleID: Int64)? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT id, role_id, principal_kind, principal_name, type, start_at, end_at, is_activation, created_by, ended_reason
            FROM assignment WHERE id = ?
            """, arguments: [id]) else { return nil }
        return (assignmentRow(row), row["role_id"])
    }

    private static func summary(_ row: Row) -> RoleSummary {
        RoleSummary(id: row["id"], name: row["name"], description: row["description"],
                    builtIn: (row["builtin"] as String?).flatMap(BuiltInRole.init(rawValue:)))
    }

    private static func assignmentRow(_ row: Row) -> AssignmentRow {
        let kind = PrincipalRef.Kind(rawValue: row["principal_kind"]) ?? .user
        return AssignmentRow(
            id: row["id"], principal: PrincipalRef(kind: kind, name: row["principal_name"]),
            type: AssignmentType(rawValue: row["type"]) ?? .eligible, start: row["start_at"], end: row["end_at"],
            isActivation: row["is_activation"], createdBy: row["created_by"],
            endedReason: (row["ended_reason"] as String?).flatMap(EndReason.init(rawValue:)))
    }
}

extension AssignmentRow {
    /// The tab the row appears on at `now`.
    func tab(at now: Date) -> AssignmentTab {
        if endedReason != nil || (end.map { $0 <= now } ?? false) { return .expired }
        return type == .eligible ? .eligible : .active
    }
}
