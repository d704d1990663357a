import Foundation
import GRDB
import HTTPTypes

/// Who may reach a route. Checked by the pipeline before the handler runs.
enum Access: Sendable, Equatable {
    /// Anyone, signed in or not (sign-in page, health check).
    case anyone
    /// Any signed-in user.
    case signedIn
    /// PIM Administrators and Security Readers (Manage read-only, resource audit).
    case managementReader
    /// PIM Administrators only (every change on Manage pages).
    case administrator

    func allows(_ roles: HeldRoles, signedIn: Bool) -> Bool {
        switch self {
        case .anyone: true
        case .signedIn: signedIn
        case .managementReader: signedIn && roles.canReadManagement
        case .administrator: signedIn && roles.canManage
        }
    }
}

/// Which token a POST must carry; checked before the handler runs (403 when wrong or missing).
enum CSRFPolicy: Sendable, Equatable {
    /// The session's token in the `csrf` field (every signed-in form).
    case session
    /// The signed double-submit token of the sign-in form (no session exists yet).
    case login
}

typealias PageHandler = @Sendable (AppContext) async throws -> PortalResponse

/// Rows a page reads in the same read transaction as its signed-in user (profile, roles held
/// now), so the page costs one trip to the database. It runs only once the route's access is
/// granted to that user, and only reads: its result reaches the handler (in
/// `AppContext.preloaded`) after every check of the pipeline. When it throws, the result is nil
/// and the handler reads for itself (and reports the error the usual way).
typealias PagePreload = @Sendable (_ db: Database, _ reader: PreloadReader) throws -> any Sendable

/// Who a preload reads for, and the request it reads for.
struct PreloadReader: Sendable {
    let request: PortalRequest
    let username: String
    /// The user's NSS groups, looked up once for the request.
    let groups: [String]
    let now: Date
}

/// One line of the route table. The http Router matches the pattern (`:name` for one segment);
/// the portal pipeline then applies `access` and `csrf` before `handler` runs.
struct Route: Sendable {
    let method: HTTPRequest.Method
    let pattern: String
    let access: Access
    let csrf: CSRFPolicy
    let preload: PagePreload?
    let handler: PageHandler

    init(_ method: HTTPRequest.Method, _ pattern: String, _ access: Access,
         csrf: CSRFPolicy = .session, preload: PagePreload? = nil, _ handler: @escaping PageHandler) {
        self.method = method
        self.pattern = pattern
        self.access = access
        self.csrf = csrf
        self.preload = preload
        self.handler = handler
    }
}

/// The frozen route table.
struct RouteTable: Sendable {
    let routes: [Route]
    /// The access of each GET page by its literal pattern (the first route wins, like matching).
    let pageAccess: [String: Access]
    /// The navigation menus of this table, built once (see `Navigation.Menus`).
    let navigation: Navigation.Menus

    init(_ routes: [Route]) {
        self.routes = routes
        var pages: [String: Access] = [:]
        for route in routes where route.method == .get && pages[route.pattern] == nil {
            pages[route.pattern] = route.access
        }
        pageAccess = pages
        navigation = Navigation.Menus(pageAccess: pages)
    }

    /// The GET route of a literal path, if the portal has that page (the navigation shows only
    /// pages that exist).
    func hasPage(_ path: String) -> Route? {
        routes.first { $0.method == .get && $0.pattern == path }
    }
}
