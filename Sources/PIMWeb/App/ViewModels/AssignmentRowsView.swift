import Foundation
import PIMCore
import PIMTemplates

/// The assignment rows of My roles and Home, answering the template's keys for each row
/// itself: a page of rows builds no dictionary and no object per row (`TemplateRows`), and
/// values a tab does not print (the ISO end, the ended reason…) are never made.
final class AssignmentRowsView: TemplateRows {
    let rows: [RoleAssignmentRow]
    /// The request's instant ("starts later", "ends soon").
    let now: Date

    init(_ rows: [RoleAssignmentRow], now: Date) {
        self.rows = rows
        self.now = now
    }

    var count: Int { rows.count }

    func templateValue(at index: Int, forKey key: String) -> TemplateValue? {
        // `rows[index].assignment.x`, not `let a = …assignment`: copying the assignment or the
        // row out retained and released each of its strings on every key a template asks for.
        // The key's length is tested first: a switch over strings compares them in order, and
        // each string that does not match was a library call. (`AssignmentRowsViewTests` checks
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

    /// Every key `templateValue(at:forKey:)` answers (for the test that each is reachable).
    static let keys = [
        "id", "roleID", "roleName", "via", "permanent", "endsSoon", "isOwn", "isActivation", "startsLater", "start",
        "end", "endISO", "justification", "endedReason",
    ]
}
