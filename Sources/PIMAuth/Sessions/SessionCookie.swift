import Foundation

/// The session cookie's name and attributes (RFC 6265 §4.1; the `__Host-` prefix of
/// RFC 6265bis §4.1.3.2 needs Secure, Path=/ and no Domain).
public enum SessionCookie {
    /// `__Host-pim` when served over TLS (directly or behind the proxy), else `pim`.
    public static func name(secure: Bool) -> String { secure ? "__Host-pim" : "pim" }

    /// The `Set-Cookie` value that hands the browser a session id. No Expires/Max-Age: it
    /// ends with the browser, and the server enforces the real timeouts.
    public static func setCookie(_ id: SessionID, secure: Bool) -> String {
        attributes(name: name(secure: secure), value: id.token, secure: secure)
    }

    /// The `Set-Cookie` value that makes the browser forget the session (sign-out, expiry).
    public static func clearCookie(secure: Bool) -> String {
        attributes(name: name(secure: secure), value: "", secure: secure) + "; Max-Age=0"
    }

    /// The session cookie's value from a request's `Cookie` header(s), if present once.
    /// Two cookies of our name (e.g. one planted for a parent domain) count as none.
    public static func value(fromCookieHeaders headers: [String], secure: Bool) -> String? {
        CookieHeader.value(named: name(secure: secure), in: headers)
    }

    static func attributes(name: String, value: String, secure: Bool) -> String {
        var text = "\(name)=\(value); Path=/; HttpOnly; SameSite=Lax"
        if secure { text += "; Secure" }
        return text
    }
}

/// Reads cookies from `Cookie` request headers (RFC 6265 §5.4: "name=value" pairs joined by "; ").
enum CookieHeader {
    static let maxHeaderBytes = 8 * 1024

    static func value(named wanted: String, in headers: [String]) -> String? {
        var found: [String] = []
        for header in headers where header.utf8.count <= maxHeaderBytes {
            for pair in header.split(separator: ";") {
                let trimmed = pair.trimmingCharacters(in: .whitespaces)
                guard let equals = trimmed.firstIndex(of: "=") else { continue }
                if trimmed[..<equals] == wanted { found.append(String(trimmed[trimmed.index(after: equals)...])) }
            }
        }
        return found.count == 1 ? found[0] : nil
    }
}
