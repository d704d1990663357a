import Foundation
import PIMCore
import PIMTemplates

/// One assignment row of My roles and Home, answering the template's keys itself: a page of rows
/// builds no dictionary per row, and values a tab does not print (the ISO end, the ended
/// reason…) are never made. A class, as `TemplateRenderable` asks: one allocation per row, and
/// the template engine copies it with a retain.
final class AssignmentRowView: TemplateRenderable {
    let row: RoleAssignmentRow
    /// The request's instant ("starts later", "ends soon").
    let now: Date

    init(row: RoleAssignmentRow, now: Date) {
        self.row = row
        self.now = now
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        // `row.assignment.x`, not `let a = row.assignment`: copying the assignment out retained
        // and released each of its strings on every key a template asks for. The keys every tab
        // prints come first: a switch over strings compares them in order.
        switch key {
        case "id": return .int(Int(row.assignment.id))
        case "roleID": return .int(Int(row.assignment.roleID))
        case "roleName": return .string(row.roleName)
        case "via": return .string(row.viaGroup.map { "Group: \($0)" } ?? "Direct")
        case "permanent": return .bool(row.assignment.end == nil)
        case "endsSoon": return .bool(row.assignment.end.map { $0.timeIntervalSince(now) <= 14 * 24 * 3600 } ?? false)
        // Own assignments only: a group's assignment is extended or renewed for the group.
        case "isOwn": return .bool(row.viaGroup == nil)
        case "isActivation": return .bool(row.assignment.isActivation)
        case "startsLater": return .bool(row.assignment.start > now)
        case "start": return .date(row.assignment.start)
        case "end": return .optional(row.assignment.end, TemplateValue.date)
        case "endISO": return .string(row.assignment.end.map(RowViews.iso) ?? "")
        case "justification": return .string(row.assignment.justification ?? "")
        case "endedReason": return .string(row.assignment.endedReason.map { $0.rawValue.capitalized } ?? "Expired")
        default: return nil
        }
    }
}
