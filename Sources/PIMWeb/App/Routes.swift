/// The one route table of the portal: every page and action as `METHOD /path`, who may use it,
/// and the handler (one file per page under `Pages/`). Order matters only where a literal path
/// and a `:param` pattern could both match: put the literal first.
enum Routes {
    static let table = RouteTable(session + tasks + manage + activity)

    /// Signing in and out, health.
    static let session: [Route] = [
        Route(.get, "/healthz", .anyone, HealthPage.show),
        Route(.get, "/signin", .anyone, SignInPage.show),
        Route(.post, "/signin", .anyone, csrf: .login, SignInPage.submit),
        Route(.post, "/signout", .signedIn, SignOutPage.submit),
    ]

    /// Tasks: what every signed-in user does.
    static let tasks: [Route] = [
        Route(.get, "/security-info", .signedIn, SecurityInfoPage.show),
        Route(.post, "/security-info/start", .signedIn, SecurityInfoPage.start),
        Route(.post, "/security-info/confirm", .signedIn, SecurityInfoPage.confirm),
        Route(.post, "/security-info/remove", .signedIn, SecurityInfoPage.remove),
    ]

    /// Manage: PIM Administrators change, Security Readers read (the portal-manage pages).
    static let manage: [Route] = []

    /// Activity: audit views.
    static let activity: [Route] = []
}
