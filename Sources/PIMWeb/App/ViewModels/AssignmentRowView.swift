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
        // The keys every tab prints come first: a switch over strings compares them in order.
        switch key {
        case "id": return .int(Int(rows[index].assignment.id))
        case "roleID": return .int(Int(rows[index].assignment.roleID))
        case "roleName": return .string(rows[index].roleName)
        case "via": return .string(rows[index].viaGroup.map { "Group: \($0)" } ?? "Direct")
        case "permanent": return .bool(rows[index].assignment.end == nil)
        case "endsSoon": return .bool(rows[index].assignment.end.map { $0.timeIntervalSince(now) <= 14 * 24 * 3600 } ?? false)
        // Own assignments only: a group's assignment is extended or renewed for the group.
        case "isOwn": return .bool(rows[index].viaGroup == nil)
        case "isActivation": return .bool(rows[index].assignment.isActivation)
        case "startsLater": return .bool(rows[index].assignment.start > now)
        case "start": return .date(rows[index].assignment.start)
        case "end": return .optional(rows[index].assignment.end, TemplateValue.date)
        case "endISO": return .string(rows[index].assignment.end.map(RowViews.iso) ?? "")
        case "justification": return .string(rows[index].assignment.justification ?? "")
        case "endedReason": return .string(rows[index].assignment.endedReason.map { $0.rawValue.capitalized } ?? "Expired")
        default: return nil
        }
    }
}
