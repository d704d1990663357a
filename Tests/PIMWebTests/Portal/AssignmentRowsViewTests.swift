import Foundation
@testable import PIMCore
import PIMTemplates
import Testing
@testable import PIMWeb

/// `AssignmentRowsView` answers keys by length and name: each key must be reachable, and a loop
/// over it reads each row in turn.
struct AssignmentRowsViewTests {
    static let now = Date(timeIntervalSince1970: 1_795_608_000)

    static func row(_ n: Int64, group: String?, end: Date?) -> RoleAssignmentRow {
        RoleAssignmentRow(
            assignment: Assignment(
                id: 100 + n, roleID: n, principal: .user("alice"), type: .active, start: now - 3600, end: end,
                isActivation: true, justification: "why \(n)", endedReason: .revoked),
            roleName: "Role \(n)", viaGroup: group)
    }

    @Test func everyKeyAnswersAndUnknownKeysDoNot() throws {
        let view = AssignmentRowsView([Self.row(1, group: nil, end: Self.now + 3 * 86_400)], now: Self.now)
        for key in AssignmentRowsView.keys {
            #expect(view.templateValue(at: 0, forKey: key) != nil, "\(key)")
        }
        for key in ["", "ID", "ids", "roleid", "role", "endedreason", "startsLate", "roleName "] {
            #expect(view.templateValue(at: 0, forKey: key) == nil, "\(key)")
        }
    }

    @Test func aLoopReadsEachRow() throws {
        let rows = [Self.row(1, group: nil, end: nil), Self.row(2, group: "ops", end: Self.now + 86_400)]
        let html = try TemplateSet(sources: [
            "page": "{% if rows %}{{ rows | count }}:{% end %}{% for r in rows %}{{ r.id }} {{ r.roleID }} {{ r.roleName }} {{ r.via }} "
                + "{{ r.permanent }} {{ r.endsSoon }} {{ r.isOwn }} {{ r.isActivation }} {{ r.startsLater }} {{ r.endISO }} "
                + "{{ r.justification }} {{ r.endedReason }};{% end %}",
        ]).render("page", ["rows": RowViews.assignments(rows, now: Self.now)], now: Self.now)
        #expect(html == "2:101 1 Role 1 Direct true false true true false  why 1 Revoked;"
            + "102 2 Role 2 Group: ops false true false true false 2026-11-26T12:00:00Z why 2 Revoked;")
    }
}
