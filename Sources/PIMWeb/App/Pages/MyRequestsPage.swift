import Foundation
import PIMAuth
import PIMCore
import PIMTemplates

/// My requests: every request I made with its status; Cancel on pending ones.
enum MyRequestsPage {
    static func show(_ context: AppContext) async throws -> PortalResponse {
        let rows = try await context.environment.queries.myRequests(username: context.username, limit: 100)
        return try context.page(
            "pages/my-requests", title: "My requests",
            breadcrumbs: [Crumb("Home", "/"), Crumb("My requests")],
            values: ["rows": .list(rows.map { RowViews.request($0, directory: context.environment.directory) })])
    }

    /// POST /my-requests/:id/cancel
    static func cancel(_ context: AppContext) async throws -> PortalResponse {
        guard let id = context.request.parameters["id"].flatMap(Int64.init) else { throw PageError.notFound }
        try await context.environment.service.cancel(requestID: id, by: context.actor())
        return try await context.redirect(to: "/my-requests", flash: FlashMessage(.success, "Request \(id) is canceled."))
    }
}
