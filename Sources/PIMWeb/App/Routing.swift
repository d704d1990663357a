import Foundation
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

/// One line of the route table.
struct Route: Sendable {
    let method: HTTPRequest.Method
    let pattern: String
    let access: Access
    let csrf: CSRFPolicy
    let handler: PageHandler
    let segments: [Substring]

    init(_ method: HTTPRequest.Method, _ pattern: String, _ access: Access,
                csrf: CSRFPolicy = .session, _ handler: @escaping PageHandler) {
        self.method = method
        self.pattern = pattern
        self.access = access
        self.csrf = csrf
        self.handler = handler
        self.segments = pattern.split(separator: "/")
    }

    /// The `:name` parameters when `path` matches this pattern, else nil. Parameters match one
    /// non-empty segment; everything else matches literally.
    func match(_ path: String) -> [String: String]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let pieces = parts.last == "" && parts.count > 1 ? Array(parts.dropLast()) : Array(parts)
        let wanted = segments
        if wanted.isEmpty { return pieces == [""] || pieces.isEmpty ? [:] : nil }
        guard pieces.count == wanted.count else { return nil }
        var parameters: [String: String] = [:]
        for (piece, pattern) in zip(pieces, wanted) {
            if pattern.hasPrefix(":") {
                guard !piece.isEmpty else { return nil }
                parameters[String(pattern.dropFirst())] = String(piece).removingPercentEncoding ?? String(piece)
            } else if piece != pattern {
                return nil
            }
        }
        return parameters
    }
}

/// The frozen route table: finds the route for a method and path.
struct RouteTable: Sendable {
    let routes: [Route]

    init(_ routes: [Route]) { self.routes = routes }

    enum Lookup: Sendable {
        case found(Route, [String: String])
        case wrongMethod
        case notFound
    }

    func lookup(method: HTTPRequest.Method, path: String) -> Lookup {
        var pathMatched = false
        for route in routes {
            guard let parameters = route.match(path) else { continue }
            // HEAD is answered like GET (RFC 9110 §9.3.2); the server drops the body.
            if route.method == method || (method == .head && route.method == .get) {
                return .found(route, parameters)
            }
            pathMatched = true
        }
        return pathMatched ? .wrongMethod : .notFound
    }

    /// Whether a GET page exists at `path` (the navigation shows only pages that exist).
    func hasPage(_ path: String) -> Route? {
        routes.first { $0.method == .get && $0.match(path) != nil }
    }
}
