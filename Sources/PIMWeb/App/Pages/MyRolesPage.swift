import Foundation
import GRDB
import PIMAuth
import PIMCore
import PIMTemplates

/// My roles: Eligible / Active / Expired tabs. Eligible rows activate (one, or several ticked);
/// active activations deactivate and extend; expiring assignments extend, expired ones renew.
enum MyRolesPage {
    /// The three tabs' rows, read with the session (one database trip for the whole page).
    static let preload: PagePreload = { db, reader in
        try PIMQueries.myRoles(username: reader.username, groups: reader.groups, now: reader.now, in: db)
    }

    static func show(_ context: AppContext) async throws -> PortalResponse {
        let requested = context.query["tab"] ?? ""
        let tab = ["eligible", "active", "expired"].contains(requested) ? requested : "eligible"
        let roles: MyRoles
        if let preloaded = context.preloaded as? MyRoles {
            roles = preloaded
        } else {
            roles = try await context.environment.queries.myRoles(username: context.username, groups: context.user?.groups)
        }
        let rows = switch tab {
        case "active": roles.active
        case "expired": roles.expired
        default: roles.eligible
        }
        return try context.page(
            "pages/my-roles", title: "My roles",
            breadcrumbs: [Crumb("Home", "/"), Crumb("My roles")],
            values: [
                "tab": .string(tab),
                "tabs": RowViews.tabs(label: "Assignment type", base: "/my-roles", current: tab, items: [
                    ("eligible", "Eligible", roles.eligible.count),
                    ("active", "Active", roles.active.count),
                    ("expired", "Expired", roles.expired.count),
                ]),
                "rows": RowViews.assignments(rows, now: context.now),
            ])
    }

    /// POST /my-roles/deactivate: ends one's own activation now.
    static func deactivate(_ context: AppContext) async throws -> PortalResponse {
        guard let id = context.form.ids("assignment").first else { throw PageError.badRequest("Choose an activation.") }
        let name = try await roleName(ofAssignment: id, context)
        try await context.environment.service.deactivate(assignmentID: id, by: context.actor())
        return try await context.redirect(to: "/my-roles?tab=active", flash: FlashMessage(.success, "\(name) is deactivated."))
    }

    /// POST /my-roles/extend: an activation is extended through the Activate form's checks (its
    /// `extend` field); any other assignment asks the approvers for more time.
    static func extend(_ context: AppContext) async throws -> PortalResponse {
        if !context.form.ids("extend").isEmpty { return try await ActivatePage.submit(context) }
        return try await requestExtension(context)
    }

    static func requestExtension(_ context: AppContext) async throws -> PortalResponse {
        guard let id = context.form.ids("assignment").first else { throw PageError.badRequest("Choose an assignment.") }
        let name = try await roleName(ofAssignment: id, context)
        _ = try await context.environment.service.requestExtension(
            assignmentID: id, justification: context.form.trimmed("justification"), by: context.actor())
        return try await context.redirect(to: "/my-requests", flash: FlashMessage(.success, "Extension of \(name) requested; it is pending approval."))
    }

    /// POST /my-roles/renew: an expired assignment asks the approvers to be renewed.
    static func requestRenewal(_ context: AppContext) async throws -> PortalResponse {
        guard let id = context.form.ids("assignment").first else { throw PageError.badRequest("Choose an assignment.") }
        let name = try await roleName(ofAssignment: id, context)
        _ = try await context.environment.service.requestRenewal(
            assignmentID: id, justification: context.form.trimmed("justification"), by: context.actor())
        return try await context.redirect(to: "/my-requests", flash: FlashMessage(.success, "Renewal of \(name) requested; it is pending approval."))
    }

    /// The name of an assignment's role, for the message (one read transaction).
    private static func roleName(ofAssignment id: Int64, _ context: AppContext) async throws -> String {
        let name = try await context.store.readOffPool { db in
            try PIMQueries.assignment(id: id, in: db).flatMap { try PIMQueries.role(id: $0.roleID, in: db)?.name }
        }
        guard let name else { throw PIMError.assignmentNotFound }
        return name
    }
}
