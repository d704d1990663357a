import Foundation

/// The checks the web layer runs on every POST before the handler (403 when one fails).
public enum CSRFGuard {
    /// The field name forms carry the token in.
    public static let fieldName = "csrf"

    /// Why a POST was refused (for the log; the user sees one 403 page).
    public enum Rejection: String, Sendable, Equatable {
        case foreignOrigin, missingToken, wrongToken
    }

    /// The whole check for a POST of a signed-in session: `Origin` first, then the token.
    /// Returns nil when the handler may run, else the reason to answer 403.
    public static func checkPost(submitted: String?, session: Session, origin: String?, host: String?,
                                 secure: Bool, originCheck: OriginCheck) -> Rejection? {
        guard originCheck.allows(origin: origin, host: host, secure: secure) else { return .foreignOrigin }
        guard let submitted, !submitted.isEmpty else { return .missingToken }
        return isValid(submitted: submitted, for: session) ? nil : .wrongToken
    }

    /// Does the submitted form token belong to this session? Constant-time comparison.
    public static func isValid(submitted: String?, for session: Session) -> Bool {
        guard let submitted, submitted.utf8.count <= 128 else { return false }
        return ConstantTime.equal(Array(submitted.utf8), Array(session.csrfToken.utf8))
    }
}

/// `Origin` must name us when a browser sends it (RFC 6454 §7; Fetch standard). Missing `Origin`
/// is allowed (older browsers, same-origin GET-turned-POST); the token still guards those.
public struct OriginCheck: Sendable, Equatable {
    /// The configured public origin, e.g. `https://pim.example.org` (scheme, host, port).
    /// When nil, the request's `Host` header stands in, with the scheme the server sees.
    public let expectedOrigin: String?

    public init(expectedOrigin: String?) {
        self.expectedOrigin = expectedOrigin.map(Self.normalise)
    }

    /// - Parameters:
    ///   - origin: the request's `Origin` header, if any.
    ///   - host: the request's `Host` header (or authority).
    ///   - secure: whether the request arrived over TLS (directly or via a trusted proxy).
    public func allows(origin: String?, host: String?, secure: Bool) -> Bool {
        guard let origin else { return true }
        let presented = Self.normalise(origin)
        // "null" comes from sandboxed frames, file: pages and some redirects: never us.
        guard presented != "null", !presented.isEmpty else { return false }
        if let expectedOrigin { return presented == expectedOrigin }
        guard let host, !host.isEmpty else { return false }
        return presented == Self.normalise((secure ? "https://" : "http://") + host)
    }

    /// Lower-cases and drops a default port and a trailing slash, so equal origins compare equal.
    static func normalise(_ origin: String) -> String {
        var text = origin.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasSuffix("/") { text.removeLast() }
        if text.hasPrefix("https://"), text.hasSuffix(":443") { text.removeLast(4) }
        if text.hasPrefix("http://"), text.hasSuffix(":80") { text.removeLast(3) }
        return text
    }
}
