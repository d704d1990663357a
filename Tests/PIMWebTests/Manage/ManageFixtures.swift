import Foundation
import PIMCore
@testable import PIMWeb

/// Roles and assignments for the Manage and Activity page tests, made through PIMCore's use
/// cases as the administrator of `TestPortal`.
extension TestPortal {
    func customRole(_ name: String, description: String = "", settings: RoleSettings = .defaults) async throws -> Role {
        try await service.createRole(name: name, description: description, settings: settings, by: adminActor)
    }

    @discardableResult
    func assign(_ role: Role, _ members: [PrincipalRef], _ type: AssignmentType = .eligible, days: Double = 30) async throws -> [Assignment] {
        try await service.assign(roleID: role.id, members: members, type: type, start: nil,
                                 end: clock.now() + days * 86_400, justification: "fixture", by: adminActor)
    }

    func storedRole(_ id: Int64) async throws -> Role? {
        try await environment.queries.role(id: id)
    }

    /// The datetime-local value of `date` in UTC (the portal's default zone).
    func inputTime(_ date: Date) -> String { TimeText(timeZone: .gmt).inputValue(date) }
}

extension PortalResponse {
    /// How many forms that change state the page holds, not counting the header's sign-out.
    var postFormCount: Int {
        bodyText.components(separatedBy: "method=\"post\"").count - 1 - (bodyText.contains("action=\"/signout\"") ? 1 : 0)
    }
}
