import Foundation
import HTTPTypes
import PIMAuth

/// The checks every POST passes before its handler: the Origin names us, and the form carries
/// the right token (the session's, or the sign-in form's signed double-submit token).
enum RequestChecks {
    static func originAllowed(_ request: PortalRequest, environment: AppEnvironment) -> Bool {
        let check = OriginCheck(expectedOrigin: environment.configuration.publicOrigin)
        let host = request.head.authority ?? request.head.headerFields[HTTPField.Name("Host")!]
        return check.allows(origin: request.head.headerFields[HTTPField.Name("Origin")!], host: host, secure: request.isSecure)
    }

    static func csrfValid(_ request: PortalRequest, policy: CSRFPolicy, session: Session?, now: Date,
                          environment: AppEnvironment) -> Bool {
        let form = request.form
        switch policy {
        case .session:
            guard let session else { return false }
            return CSRFGuard.isValid(submitted: form[CSRFGuard.fieldName], for: session)
        case .login:
            let cookie = LoginCSRF.cookieValue(fromCookieHeaders: request.cookieHeaders, secure: request.isSecure)
            return environment.loginCSRF.isValid(cookie: cookie, field: form[LoginCSRF.fieldName], now: now)
        }
    }
}
