import Foundation
import PIMCore
import PIMTemplates

/// Manage → Roles: every role with its counts (eligible, active, permanent active), searchable.
enum RolesPage {
    static func show(_ context: AppContext) async throws -> PortalResponse {
        let search = context.query.trimmed("q")
        let roles = try await context.environment.queries.roles(search: search, limit: 1000)
        let rows: [TemplateValue] = roles.map { role in
            [
                "id": .int(Int(role.id)), "name": .string(role.name), "description": .string(role.description),
                "builtIn": .bool(role.builtIn != nil), "eligible": .int(role.eligibleCount),
                "active": .int(role.activeCount), "permanentActive": .int(role.permanentActiveCount),
            ]
        }
        return try context.page("pages/roles", title: "Roles", breadcrumbs: [Crumb("Manage"), Crumb("Roles")],
                                values: ["q": .string(search), "roles": .list(rows), "canManage": .bool(context.roles.canManage)])
    }
}
