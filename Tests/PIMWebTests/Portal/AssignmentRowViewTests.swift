import Foundation
@testable import PIMCore
import PIMTemplates
import Testing
@testable import PIMWeb

/// `AssignmentRowView` answers keys by length and name: each key must be reachable, and the
/// views of a list read their own row of the shared array.
struct AssignmentRowViewTests {
    static let now = Date(timeIntervalSince1970: 1_795_608_000)

    static func row(_ n: Int64, group: String?, end: Date?) -> RoleAssignmentRow {
        RoleAssignmentRow(
            assignment: Assignment(
                id: 100 + n, roleID: n, principal: .user("alice"), type: .active, start: now - 3600, end: end,
                isActivation: true, justification: "why \(n)", endedReason: .revoked),
            roleName: "Role \(n)", viaGroup: group)
    }

    @Test func everyKeyAnswersAndUnknownKeysDoNot() throws {
        let list = AssignmentRowView.list([Self.row(1, group: nil, end: Self.now + 3 * 86_400)], now: Self.now)
        guard case .list(let items) = list, case .object(let view) = items.first else {
            Issue.record("expected a list of objects")
            return
        }
        for key in AssignmentRowView.keys {
            #expect(view.templateValue(forKey: key) != nil, "\(key)")
        }
        for key in ["", "ID", "ids", "roleid", "role", "endedreason", "startsLate", "roleName "] {
            #expect(view.templateValue(forKey: key) == nil, "\(key)")
        }
    }

    @Test func viewsOfAListReadTheirOwnRow() throws {
        let rows = [Self.row(1, group: nil, end: nil), Self.row(2, group: "ops", end: Self.now + 86_400)]
        guard case .list(let items) = AssignmentRowView.list(rows, now: Self.now) else {
            Issue.record("expected a list")
            return
        }
        let html = try TemplateSet(sources: [
            "page": "{% for r in rows %}{{ r.id }} {{ r.roleID }} {{ r.roleName }} {{ r.via }} {{ r.permanent }} {{ r.endsSoon }} "
                + "{{ r.isOwn }} {{ r.isActivation }} {{ r.startsLater }} {{ r.endISO }} {{ r.justification }} {{ r.endedReason }};{% end %}",
        ]).render("page", ["rows": .list(items)], now: Self.now)
        #expect(html == "101 1 Role 1 Direct true false true true false  why 1 Revoked;"
            + "102 2 Role 2 Group: ops false true false true false 2026-11-26T12:00:00Z why 2 Revoked;")
    }
}
