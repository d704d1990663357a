import HTTPTypes

extension WebRequest {
    /// Cookies sent by the client (RFC 6265 §4.2.1, §5.4), in order. Values are returned as
    /// sent (without surrounding quotes); pairs with a name that is not a token are skipped.
    public var cookies: [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for header in head.headerFields[values: .cookie] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.trimmingOWS()
                guard let equals = trimmed.firstIndex(of: "=") else { continue }
                let name = trimmed[..<equals]
                var value = trimmed[trimmed.index(after: equals)...]
                if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
                guard ByteClass.isToken(name.utf8), value.utf8.allSatisfy(SetCookie.isCookieOctet) else { continue }
                result.append((String(name), String(value)))
            }
        }
        return result
    }

    /// The first cookie named `name`.
    public func cookie(_ name: String) -> String? {
        cookies.first { $0.name == name }?.value
    }
}

/// Builds a `Set-Cookie` field value (RFC 6265 §4.1). Defaults are the safe ones: HttpOnly,
/// Secure, SameSite=Lax, Path=/.
public struct SetCookie: Sendable {
    public enum SameSite: String, Sendable { case strict = "Strict", lax = "Lax", none = "None" }

    public var name: String
    public var value: String
    public var path: String? = "/"
    public var domain: String?
    /// Seconds; 0 deletes the cookie. nil makes a session cookie.
    public var maxAge: Int?
    public var secure = true
    public var httpOnly = true
    public var sameSite: SameSite? = .lax

    /// `name` must be a token and `value` cookie-octets (no spaces, quotes, commas, semicolons
    /// or backslashes); anything else is a programming error and stops here.
    public init(name: String, value: String) {
        precondition(ByteClass.isToken(name.utf8), "cookie name must be a token")
        precondition(value.utf8.allSatisfy(Self.isCookieOctet), "cookie value must be cookie-octets")
        self.name = name
        self.value = value
    }

    /// A cookie that makes the browser forget `name`.
    public static func deletion(of name: String, path: String? = "/") -> SetCookie {
        var cookie = SetCookie(name: name, value: "")
        cookie.path = path
        cookie.maxAge = 0
        return cookie
    }

    public var headerValue: String {
        var parts = ["\(name)=\(value)"]
        if let path { parts.append("Path=\(path)") }
        if let domain { parts.append("Domain=\(domain)") }
        if let maxAge {
            parts.append("Max-Age=\(maxAge)")
            if maxAge == 0 { parts.append("Expires=Thu, 01 Jan 1970 00:00:00 GMT") }
        }
        if secure { parts.append("Secure") }
        if httpOnly { parts.append("HttpOnly") }
        if let sameSite { parts.append("SameSite=\(sameSite.rawValue)") }
        return parts.joined(separator: "; ")
    }

    /// cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
    static func isCookieOctet(_ byte: UInt8) -> Bool {
        byte == 0x21 || (0x23...0x2B).contains(byte) || (0x2D...0x3A).contains(byte)
            || (0x3C...0x5B).contains(byte) || (0x5D...0x7E).contains(byte)
    }
}

extension WebResponse {
    /// Adds a Set-Cookie field; several cookies give several fields (RFC 6265 §3).
    public mutating func setCookie(_ cookie: SetCookie) {
        headerFields.append(HTTPField(name: .setCookie, value: cookie.headerValue))
    }
}
