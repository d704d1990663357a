import Foundation
import GRDB
import PIMAuth
import PIMCore

/// Finds the session behind the cookie and who it belongs to (profile, groups, roles held now).
enum SessionLoader {
    struct Loaded {
        var session: Session?
        var user: SignedInUser?
        var roles: HeldRoles
        /// The cookie named a session that timed out: the browser should forget it.
        var expired: Bool
    }

    static func load(_ request: PortalRequest, environment: AppEnvironment, now: Date) async throws -> Loaded {
        let token = SessionCookie.value(fromCookieHeaders: request.cookieHeaders, secure: request.isSecure)
        let outcome = try environment.sessions.load(token: token)
        guard let session = outcome.session else {
            return Loaded(session: nil, user: nil, roles: .none, expired: outcome == .expired)
        }
        let groups = environment.directory.groups(ofUser: session.username)
        let profile = try await environment.store.pool.readOffPool { db in try UserProfiles.fetch(session.username, in: db) }
        let roles = HeldRoles(try await environment.queries.builtInRoles(of: session.username))
        let display = profile?.displayName ?? ""
        let user = SignedInUser(
            username: session.username,
            displayName: display.isEmpty ? session.username : display,
            email: profile?.email,
            mfaEnrolled: profile?.mfaEnrolled ?? false,
            groups: groups)
        return Loaded(session: session, user: user, roles: roles, expired: false)
    }
}
