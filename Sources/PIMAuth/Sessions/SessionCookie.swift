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
            if header.utf8.allSatisfy({ $0 < 0x80 }) {
                asciiValues(named: wanted, in: header, into: &found)
            } else {
                foundationValues(named: wanted, in: header, into: &found)
            }
        }
        return found.count == 1 ? found[0] : nil
    }

    /// The common case, on bytes (read on every request): in ASCII, `.whitespaces` is space
    /// and tab, and comparing names by bytes is comparing them by characters.
    private static func asciiValues(named wanted: String, in header: String, into found: inout [String]) {
        let bytes = Array(header.utf8)
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: ";") { end += 1 }
            var low = start, high = end
            while low < high && (bytes[low] == 0x20 || bytes[low] == 0x09) { low += 1 }
            while high > low && (bytes[high - 1] == 0x20 || bytes[high - 1] == 0x09) { high -= 1 }
            if let equals = bytes[low..<high].firstIndex(of: UInt8(ascii: "=")),
               bytes[low..<equals].elementsEqual(wanted.utf8) {
                found.append(String(decoding: bytes[(equals + 1)..<high], as: UTF8.self))
            }
            start = end + 1
        }
    }

    private static func foundationValues(named wanted: String, in header: String, into found: inout [String]) {
        for pair in header.split(separator: ";") {
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            if trimmed[..<equals] == wanted { found.append(String(trimmed[trimmed.index(after: equals)...])) }
        }
    }
}
