import Foundation
import PIMCore
import PIMTemplates

/// Home: what needs my attention — requests I may decide, my pending requests, activations
/// ending soon, eligibilities expiring — and, for administrators and readers, where to go next.
enum HomePage {
    static func show(_ context: AppContext) async throws -> PortalResponse {
        let queries = context.environment.queries
        // The groups the session load looked up: NSS is asked once per request.
        let groups = context.user?.groups
        let attention = try await queries.attention(for: context.username, groups: groups)
        let roles = try await queries.myRoles(username: context.username, groups: groups, expiredLimit: 0)
        let endingSoon = roles.active.filter { row in
            guard row.assignment.isActivation, let end = row.assignment.end else { return false }
            return row.assignment.covers(context.now) && end.timeIntervalSince(context.now) <= 2 * 3600
        }
        let mfaEnrolled = try context.environment.totp.status(for: context.username).enrolled
        let routes = context.environment.routes
        return try context.page(
            "pages/home", title: "Home",
            values: [
                "pendingApprovals": .int(attention.pendingApprovals),
                "myPendingRequests": .int(attention.myPendingRequests),
                "activeRoles": .int(attention.activeRoles),
                "eligibleRoles": .int(roles.eligible.count),
                "endingSoon": RowViews.assignments(endingSoon, now: context.now),
                "expiring": RowViews.assignments(attention.expiringSoon, now: context.now),
                "mfaEnrolled": .bool(mfaEnrolled),
                "isAdministrator": .bool(context.roles.isAdministrator),
                "isReader": .bool(context.roles.isSecurityReader && !context.roles.isAdministrator),
                "hasRolesPage": .bool(routes.hasPage("/roles") != nil),
                "hasAuditPage": .bool(routes.hasPage("/audit") != nil),
            ])
    }
}
