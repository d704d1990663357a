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
        let a = row.assignment
        switch key {
        case "id": return .int(Int(a.id))
        case "roleID": return .int(Int(a.roleID))
        case "roleName": return .string(row.roleName)
        case "via": return .string(row.viaGroup.map { "Group: \($0)" } ?? "Direct")
        case "start": return .date(a.start)
        case "end": return .optional(a.end, TemplateValue.date)
        case "endISO": return .string(a.end.map(RowViews.iso) ?? "")
        case "permanent": return .bool(a.end == nil)
        case "isActivation": return .bool(a.isActivation)
        case "startsLater": return .bool(a.start > now)
        case "endsSoon": return .bool(a.end.map { $0.timeIntervalSince(now) <= 14 * 24 * 3600 } ?? false)
        // Own assignments only: a group's assignment is extended or renewed for the group.
        case "isOwn": return .bool(row.viaGroup == nil)
        case "justification": return .string(a.justification ?? "")
        case "endedReason": return .string(a.endedReason.map { $0.rawValue.capitalized } ?? "Expired")
        default: return nil
        }
    }
}
