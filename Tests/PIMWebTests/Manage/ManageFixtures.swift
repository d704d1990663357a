import Foundation
import PIMCore
@testable import PIMWeb

/// Roles and assignments for the Manage and Activity page tests, made through PIMCore's use
/// cases as the administrator of `TestPortal`.
extension TestPortal {
    var service: PIMService { PIMService(store: environment.store, directory: directory) }
    var adminActor: ActorContext { ActorContext(username: "admin", sourceAddress: "127.0.0.1") }

    func makeRole(_ name: String, description: String = "", settings: RoleSettings = .defaults) async throws -> Role {
        try await service.createRole(name: name, description: description, settings: settings, by: adminActor)
    }

    @discardableResult
    func assign(_ role: Role, _ members: [PrincipalRef], _ type: AssignmentType = .eligible, days: Double = 30) async throws -> [Assignment] {
        try await service.assign(roleID: role.id, members: members, type: type, start: nil,
                                 end: clock.now() + days * 86_400, justification: "fixture", by: adminActor)
    }

    func roleDetail(_ id: Int64) async throws -> RoleDetail? {
        try await environment.store.pool.read { [now = clock.now()] in try RoleQueries.role(id, now: now, in: $0) }
    }

    func builtInID(_ role: BuiltInRole) async throws -> Int64 {
        try await environment.store.pool.read {
            try Int64.fetchOne($0, sql: "SELECT id FROM role WHERE builtin = ?", arguments: [role.rawValue]) ?? 0
        }
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
