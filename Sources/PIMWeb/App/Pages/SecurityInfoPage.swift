import Foundation
import PIMAuth
import PIMTemplates

/// Security info: set up an authenticator app (QR code and the secret in groups of four), confirm
/// it with a code, remove it with a fresh code. `return_to` carries the page to go back to after
/// set-up (the activation form the user came from, with what they had typed).
enum SecurityInfoPage {
    static func show(_ context: AppContext) async throws -> PortalResponse {
        let status = try context.environment.totp.status(for: context.username)
        return try render(context, status: status, enrolment: nil, returnTo: returnTo(context.query))
    }

    /// POST /security-info/start: a fresh secret, shown once in the answer (it is never shown again).
    static func start(_ context: AppContext) async throws -> PortalResponse {
        let returnPath = returnTo(context.form)
        do {
            let enrolment = try context.environment.totp.beginEnrolment(
                user: context.username, freshProofAt: context.session?.mfaVerifiedAt)
            let status = try context.environment.totp.status(for: context.username)
            return try render(context, status: status, enrolment: enrolment, returnTo: returnPath)
        } catch TOTPError.freshProofRequired {
            return try await context.redirect(
                to: selfPath(returnPath),
                flash: FlashMessage(.error, "To set up a new app, first remove the current one with a code from it."))
        }
    }

    /// POST /security-info/confirm: the code from the app activates the enrolment; the session
    /// records the proof (new session id), and the user goes back where they came from.
    static func confirm(_ context: AppContext) async throws -> PortalResponse {
        let returnPath = returnTo(context.form)
        let outcome = try context.environment.totp.confirmEnrolment(
            user: context.username, code: context.form.trimmed("code"), sourceAddress: context.request.remoteAddress)
        guard case .accepted(let at) = outcome, let session = context.session else {
            let text = outcome.message(now: context.environment.clock.now()) ?? "That code is not right."
            return try await context.redirect(to: selfPath(returnPath), flash: FlashMessage(.error, text))
        }
        guard let fresh = try context.environment.sessions.rotate(session.id, mfaVerifiedAt: at) else {
            return .seeOther("/signin")
        }
        var response = context.redirect(
            to: returnPath ?? "/security-info",
            flash: [FlashMessage(.success, "Your authenticator app is set up. PIM will ask for its codes when a role requires it.")],
            for: fresh)
        response.addCookie(SessionCookie.setCookie(fresh, secure: context.request.isSecure))
        return response
    }

    /// POST /security-info/remove: needs a fresh, valid code from the app being removed.
    static func remove(_ context: AppContext) async throws -> PortalResponse {
        let outcome = try context.environment.totp.remove(
            user: context.username, code: context.form.trimmed("code"), sourceAddress: context.request.remoteAddress)
        if outcome.isAccepted {
            return try await context.redirect(to: "/security-info", flash: FlashMessage(.success, "Your authenticator app was removed."))
        }
        let text = outcome.message(now: context.environment.clock.now()) ?? "That code is not right."
        return try await context.redirect(to: "/security-info", flash: FlashMessage(.error, text))
    }

    private static func render(_ context: AppContext, status: TOTPStatus, enrolment: TOTPEnrolment?,
                               returnTo: String?) throws -> PortalResponse {
        let state = enrolment != nil ? "scan" : status.enrolled ? "enrolled" : status.pendingEnrolment ? "pending" : "none"
        return try context.page(
            "pages/security-info", title: "Security info",
            breadcrumbs: [Crumb("Home", "/"), Crumb("Security info")],
            values: [
                "state": .string(state),
                "enrolledAt": .optional(status.enrolledAt, TemplateValue.date),
                "lockedUntil": .optional(status.lockedUntil, TemplateValue.date),
                "qr": .optional(enrolment) { .trusted(TrustedHTML(unchecked: $0.qrCodeSVG)) },
                "secret": .string(enrolment?.secretGroups ?? ""),
                "returnTo": .string(returnTo ?? ""),
                "returning": .bool(returnTo != nil),
            ])
    }

    /// A `return_to` that is a local path (anything else is ignored).
    static func returnTo(_ fields: FormData) -> String? {
        guard let raw = fields["return_to"], !raw.isEmpty else { return nil }
        let safe = AccessControl.safeNext(raw)
        return safe == "/" && raw != "/" ? nil : safe
    }

    private static func selfPath(_ returnPath: String?) -> String {
        guard let returnPath else { return "/security-info" }
        return "/security-info?" + FormData.encode([("return_to", returnPath)])
    }
}
