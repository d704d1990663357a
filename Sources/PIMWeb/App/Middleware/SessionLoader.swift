import Foundation
import GRDB
import PIMAuth
import PIMCore

/// Finds the session behind the cookie and who it belongs to (profile, groups, roles held now).
///
/// One trip off the cooperative pool per request (PIMCore's `runOffPool`): the session row, the user's NSS
/// groups (looked up once; every query of the request reuses them), then one read transaction
/// for the profile, the built-in roles held at `now` and the route's own preload when the
/// route's access is granted.
enum SessionLoader {
    struct Loaded: Sendable {
        var session: Session?
        var user: SignedInUser?
        var roles: HeldRoles
        /// The cookie named a session that timed out: the browser should forget it.
        var expired: Bool
        /// The route's preload result (nil without a preload or when access was refused).
        var preloaded: (any Sendable)?
    }

    static func load(_ request: PortalRequest, environment: AppEnvironment, now: Date,
                     route: Route? = nil) async throws -> Loaded {
        let token = SessionCookie.value(fromCookieHeaders: request.cookieHeaders, secure: request.isSecure)
        guard token != nil else { return Loaded(session: nil, user: nil, roles: .none, expired: false) }
        return try await runOffPool {
            try load(request, token: token, environment: environment, now: now, route: route)
        }
    }

    /// The synchronous part, on a read thread: the session row (and its own writes if it timed
    /// out or its activity is due to be noted), the user's groups, then one read transaction for
    /// the rest. The groups are looked up between the two reads: NSS may wait on a directory
    /// server, and a read transaction held open meanwhile would hold back the checkpoints.
    private static func load(_ request: PortalRequest, token: String?, environment: AppEnvironment, now: Date,
                             route: Route?) throws -> Loaded {
        let sessions = environment.sessions
        let read = try environment.store.read { db in try sessions.read(token: token, in: db) }
        switch try sessions.settle(read) {
        case .active(let session):
            let groups = environment.directory.groups(ofUser: session.username)
            return try environment.store.read { db in
                try user(of: session, groups: groups, request: request, environment: environment, now: now, route: route, in: db)
            }
        case .expired:
            return Loaded(session: nil, user: nil, roles: .none, expired: true)
        case .none:
            return Loaded(session: nil, user: nil, roles: .none, expired: false)
        }
    }

    /// Who the session's user is, in one read transaction.
    private static func user(of session: Session, groups: [String], request: PortalRequest, environment: AppEnvironment,
                             now: Date, route: Route?, in db: Database) throws -> Loaded {
        let username = session.username
        let profile = try UserProfiles.fetch(username, in: db)
        let roles = HeldRoles(try PIMQueries.builtInRoles(username: username, groups: groups, now: now, in: db))
        var preloaded: (any Sendable)?
        if let route, let preload = route.preload, route.access.allows(roles, signedIn: true) {
            // A failed preload (a bad id in the form…) leaves the reading to the handler,
            // which answers it the usual way.
            preloaded = try? preload(db, PreloadReader(request: request, username: username, groups: groups, now: now))
        }
        let display = profile?.displayName ?? ""
        let user = SignedInUser(
            username: username,
            displayName: display.isEmpty ? username : display,
            email: profile?.email,
            mfaEnrolled: profile?.mfaEnrolled ?? false,
            groups: groups)
        return Loaded(session: session, user: user, roles: roles, expired: false, preloaded: preloaded)
    }
}
