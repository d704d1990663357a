import Crypto
public import Foundation

/// Login CSRF protection for the sign-in form, before any session exists: a random token in a
/// signed, short-lived cookie and the same token in a hidden field (double submit with an HMAC,
/// OWASP CSRF Cheat Sheet "Signed Double-Submit Cookie").
public struct LoginCSRF: Sendable {
    /// The cookie and form field that carry it.
    public static func cookieName(secure: Bool) -> String { secure ? "__Host-pim-login" : "pim-login" }
    public static let fieldName = "login_csrf"
    /// How long a sign-in form stays valid. Default 1 h.
    public let lifetime: TimeInterval

    private let keys: AuthKeys

    public init(keys: AuthKeys, lifetime: TimeInterval = 60 * 60) {
        self.keys = keys
        self.lifetime = lifetime
    }

    /// A fresh pair: put `cookie` in `Set-Cookie` and `field` in the form's hidden input.
    public func issue(now: Date, secure: Bool) -> (setCookie: String, field: String) {
        let token = Base64URL.encode(SecureRandom.bytes(32))
        let issued = String(Int64(now.timeIntervalSince1970))
        let value = "\(token).\(issued).\(signature(token: token, issued: issued))"
        return (SessionCookie.attributes(name: Self.cookieName(secure: secure), value: value, secure: secure), token)
    }

    /// The `Set-Cookie` that removes the login cookie after a successful sign-in.
    public static func clearCookie(secure: Bool) -> String {
        SessionCookie.attributes(name: cookieName(secure: secure), value: "", secure: secure) + "; Max-Age=0"
    }

    /// The login cookie's value from the request's `Cookie` headers.
    public static func cookieValue(fromCookieHeaders headers: [String], secure: Bool) -> String? {
        CookieHeader.value(named: cookieName(secure: secure), in: headers)
    }

    /// True when the cookie is ours, unexpired, and carries the submitted field's token.
    public func isValid(cookie: String?, field: String?, now: Date) -> Bool {
        guard let cookie, let field, cookie.utf8.count <= 256, field.utf8.count <= 64 else { return false }
        let parts = cookie.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let issuedSeconds = Int64(parts[1]) else { return false }
        let expected = signature(token: parts[0], issued: parts[1])
        guard ConstantTime.equal(Array(parts[2].utf8), Array(expected.utf8)) else { return false }
        let age = now.timeIntervalSince1970 - TimeInterval(issuedSeconds)
        guard age >= -60, age <= lifetime else { return false }
        return ConstantTime.equal(Array(parts[0].utf8), Array(field.utf8))
    }

    private func signature(token: String, issued: String) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Array("login|\(token)|\(issued)".utf8), using: keys.loginCSRFKey))
    }
}
