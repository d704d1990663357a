import Foundation
import PIMCore
import PIMTemplates

/// One assignment row of My roles and Home, answering the template's keys itself: a page of rows
/// builds no dictionary per row, and values a tab does not print (the ISO end, the ended
/// reason…) are never made. A class, as `TemplateRenderable` asks: one allocation per row, and
/// the template engine copies it with a retain.
final class AssignmentRowView: TemplateRenderable {
    /// The whole list and this row's index: the views of a list share its array (one retain
    /// each), where a copy of the row retained and released each of the row's strings.
    let rows: [RoleAssignmentRow]
    let index: Int
    /// The request's instant ("starts later", "ends soon").
    let now: Date

    init(rows: [RoleAssignmentRow], index: Int, now: Date) {
        self.rows = rows
        self.index = index
        self.now = now
    }

    /// The template list: one view per row.
    static func list(_ rows: [RoleAssignmentRow], now: Date) -> TemplateValue {
        .list(rows.indices.map { .object(AssignmentRowView(rows: rows, index: $0, now: now)) })
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        // `rows[index].assignment.x`, not `let a = …assignment`: copying the assignment or the
        // row out retained and released each of its strings on every key a template asks for.
        // The key's length is tested first: a switch over strings compares them in order, and
        // each string that does not match was a library call. (`AssignmentRowViewTests` checks
        // every key answers.)
        switch (key.utf8.count, key) {
        case (2, "id"): return .int(Int(rows[index].assignment.id))
        case (6, "roleID"): return .int(Int(rows[index].assignment.roleID))
        case (8, "roleName"): return .string(rows[index].roleName)
        case (3, "via"): return .string(rows[index].viaGroup.map { "Group: \($0)" } ?? "Direct")
        case (9, "permanent"): return .bool(rows[index].assignment.end == nil)
        case (8, "endsSoon"): return .bool(rows[index].assignment.end.map { $0.timeIntervalSince(now) <= 14 * 24 * 3600 } ?? false)
        // Own assignments only: a group's assignment is extended or renewed for the group.
        case (5, "isOwn"): return .bool(rows[index].viaGroup == nil)
        case (12, "isActivation"): return .bool(rows[index].assignment.isActivation)
        case (11, "startsLater"): return .bool(rows[index].assignment.start > now)
        case (5, "start"): return .date(rows[index].assignment.start)
        case (3, "end"): return .optional(rows[index].assignment.end, TemplateValue.date)
        case (6, "endISO"): return .string(rows[index].assignment.end.map(RowViews.iso) ?? "")
        case (13, "justification"): return .string(rows[index].assignment.justification ?? "")
        case (11, "endedReason"): return .string(rows[index].assignment.endedReason.map { $0.rawValue.capitalized } ?? "Expired")
        default: return nil
        }
    }

    /// Every key `templateValue(forKey:)` answers (for the test that each is reachable).
    static let keys = [
        "id", "roleID", "roleName", "via", "permanent", "endsSoon", "isOwn", "isActivation", "startsLater", "start",
        "end", "endISO", "justification", "endedReason",
    ]
}
