/// The one route table of the portal: every page and action as `METHOD /path`, who may use it,
/// and the handler (one file per page under `Pages/`). Order matters only where a literal path
/// and a `:param` pattern could both match: put the literal first.
enum Routes {
    static let table = RouteTable(session + tasks + manage + activity)

    /// Signing in and out, health.
    static let session: [Route] = [
        Route(.get, "/signin", .anyone, SignInPage.show),
        Route(.post, "/signin", .anyone, csrf: .login, SignInPage.submit),
        Route(.post, "/signout", .signedIn, SignOutPage.submit),
    ]

    /// Tasks: what every signed-in user does.
    static let tasks: [Route] = [
        Route(.get, "/", .signedIn, HomePage.show),
        Route(.get, "/security-info", .signedIn, SecurityInfoPage.show),
        Route(.post, "/security-info/start", .signedIn, SecurityInfoPage.start),
        Route(.post, "/security-info/confirm", .signedIn, SecurityInfoPage.confirm),
        Route(.post, "/security-info/remove", .signedIn, SecurityInfoPage.remove),
        Route(.get, "/my-roles", .signedIn, preload: MyRolesPage.preload, MyRolesPage.show),
        Route(.get, "/my-roles/activate", .signedIn, preload: ActivatePage.preloadQuery, ActivatePage.show),
        Route(.post, "/my-roles/activate", .signedIn, preload: ActivatePage.preloadForm, ActivatePage.submit),
        Route(.post, "/my-roles/deactivate", .signedIn, MyRolesPage.deactivate),
        Route(.post, "/my-roles/extend", .signedIn, MyRolesPage.extend),
        Route(.post, "/my-roles/renew", .signedIn, MyRolesPage.requestRenewal),
        Route(.get, "/my-requests", .signedIn, MyRequestsPage.show),
        Route(.post, "/my-requests/:id/cancel", .signedIn, MyRequestsPage.cancel),
        Route(.get, "/approvals", .signedIn, ApprovalsPage.show),
        Route(.post, "/approvals/decide", .signedIn, ApprovalsPage.decide),
    ]

    /// Manage: PIM Administrators change, Security Readers read (the portal-manage pages).
    static let manage: [Route] = [
        // Manage
        Route(.get, "/roles", .managementReader, RolesPage.show),
        Route(.get, "/roles/new", .administrator, RoleNewPage.show),
        Route(.post, "/roles", .administrator, RoleNewPage.create),
        Route(.get, "/roles/:id", .managementReader, RolePage.show),
        Route(.post, "/roles/:id/delete", .administrator, RoleNewPage.delete),
        Route(.get, "/roles/:id/assign", .administrator, RoleAssignPage.membership),
        Route(.get, "/roles/:id/assign/setting", .administrator, RoleAssignPage.setting),
        Route(.post, "/roles/:id/assign/setting", .administrator, RoleAssignPage.setting),
        Route(.post, "/roles/:id/assign", .administrator, RoleAssignPage.assign),
        Route(.get, "/roles/:id/settings", .managementReader, RoleSettingsPage.show),
        Route(.get, "/roles/:id/settings/edit", .administrator, RoleSettingsPage.edit),
        Route(.post, "/roles/:id/settings", .administrator, RoleSettingsPage.update),
        Route(.post, "/assignments/:id/update", .administrator, AssignmentActions.update),
        Route(.post, "/assignments/:id/remove", .administrator, AssignmentActions.remove),
        Route(.post, "/assignments/:id/extend", .administrator, AssignmentActions.extend),
        Route(.post, "/assignments/:id/renew", .administrator, AssignmentActions.renew),
        Route(.post, "/assignments/:id/revoke", .administrator, AssignmentActions.revoke),
        Route(.get, "/settings", .managementReader, SettingsPage.show),
        Route(.post, "/settings", .administrator, SettingsPage.update),
        Route(.get, "/settings/mail", .managementReader, MailSettingsPage.show),
        Route(.post, "/settings/mail/retry-failed", .administrator, MailSettingsPage.retryAllFailed),
        Route(.post, "/settings/mail/:id/retry", .administrator, MailSettingsPage.retry),
    ]

    /// Activity: audit views.
    static let activity: [Route] = [
        // Activity
        Route(.get, "/audit", .managementReader, AuditPage.audit),
        Route(.get, "/audit.csv", .managementReader, AuditPage.auditCSV),
        Route(.get, "/my-audit", .signedIn, AuditPage.myAudit),
        Route(.get, "/my-audit.csv", .signedIn, AuditPage.myAuditCSV),
    ]
}
