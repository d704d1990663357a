import Foundation
import PIMAuth
import PIMCore

/// One request's view of the world, built by the pipeline before the handler runs: who is signed
/// in, which PIM roles they hold right now, their CSRF token, the instant of the request (from the
/// injected clock) and the configured time zone. Handlers read it; they never call `Date()`.
struct AppContext: Sendable {
    let request: PortalRequest
    let environment: AppEnvironment
    /// The session behind the cookie, when signed in.
    let session: Session?
    /// The signed-in user's profile (display name, email, MFA enrolment).
    let user: SignedInUser?
    /// PIM Administrator / Security Reader, held now.
    let roles: HeldRoles
    /// The instant this request is handled at.
    let now: Date
    /// What the route's preload read with the session (see `PagePreload`), else nil.
    var preloaded: (any Sendable)?

    var timeZone: TimeZone { environment.timeZone }
    /// The token every form of this session carries ("" when signed out).
    var csrfToken: String { session?.csrfToken ?? "" }
    var isSignedIn: Bool { user != nil }
    /// The signed-in user's name; handlers behind `.signedIn` routes may rely on it.
    var username: String { user?.username ?? "" }
    var store: PIMStore { environment.store }
    var form: FormData { request.form }
    var query: FormData { request.query }
}

/// The signed-in person as pages show them.
struct SignedInUser: Sendable, Equatable {
    let username: String
    let displayName: String
    let email: String?
    let mfaEnrolled: Bool
    /// The user's NSS groups (group assignments and approver groups apply through them).
    let groups: [String]
}
