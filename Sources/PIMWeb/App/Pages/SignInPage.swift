import Foundation
import HTTPTypes
import PIMAuth
import PIMTemplates

/// GET/POST /signin: user name and password through PAM (via PIMAuth's SignInService). The form
/// carries a signed double-submit token because no session exists yet (login CSRF).
enum SignInPage {
    static func show(_ context: AppContext) async throws -> PortalResponse {
        if context.isSignedIn { return .seeOther(AccessControl.safeNext(context.query["next"])) }
        var notice: FlashMessage?
        if context.query["expired"] == "1" { notice = FlashMessage(.info, "Your session ended. Please sign in again.") }
        if context.query["signedout"] == "1" { notice = FlashMessage(.success, "You have signed out.") }
        return try render(context, username: "", next: AccessControl.safeNext(context.query["next"]),
                          errors: FormErrors(), notice: notice)
    }

    static func submit(_ context: AppContext) async throws -> PortalResponse {
        let form = context.form
        let username = form.trimmed("username")
        let password = form["password"] ?? ""
        let next = AccessControl.safeNext(form["next"])
        var errors = FormErrors()
        if username.isEmpty { errors.add("username", "Enter your user name.") }
        if password.isEmpty { errors.add("password", "Enter your password.") }
        guard errors.isEmpty else {
            return try render(context, username: username, next: next, errors: errors, status: .ok)
        }
        let result = await context.environment.signIn.signIn(
            username: username, password: password, remoteAddress: context.request.remoteAddress)
        guard case .signedIn(let id, _, _) = result else {
            errors.add(nil, result.message(now: context.environment.clock.now()) ?? SignInService.genericFailure)
            return try render(context, username: username, next: next, errors: errors, status: .ok)
        }
        var response = PortalResponse.seeOther(next)
        response.addCookie(SessionCookie.setCookie(id, secure: context.request.isSecure))
        response.addCookie(LoginCSRF.clearCookie(secure: context.request.isSecure))
        return response
    }

    private static func render(
        _ context: AppContext, username: String, next: String, errors: FormErrors,
        notice: FlashMessage? = nil, status: HTTPResponse.Status = .ok
    ) throws -> PortalResponse {
        let token = context.environment.loginCSRF.issue(now: context.now, secure: context.request.isSecure)
        var response = try context.page(
            "pages/signin", title: "Sign in",
            values: [
                "form": [
                    "errors": errors.templateValue,
                    "token": .string(token.field),
                    "next": .string(next),
                    "username": .string(username),
                    "usernameError": .string(errors.message(for: "username") ?? ""),
                    "passwordError": .string(errors.message(for: "password") ?? ""),
                ],
            ],
            status: status, extraFlash: notice.map { [$0] } ?? [])
        response.addCookie(token.setCookie)
        return response
    }
}

/// POST /signout: the session ends on the server (audited) and the browser forgets the cookie.
enum SignOutPage {
    static func submit(_ context: AppContext) async throws -> PortalResponse {
        if let session = context.session {
            try await context.environment.signIn.signOut(session, remoteAddress: context.request.remoteAddress)
        }
        var response = PortalResponse.seeOther("/signin?signedout=1")
        response.addCookie(SessionCookie.clearCookie(secure: context.request.isSecure))
        return response
    }
}
