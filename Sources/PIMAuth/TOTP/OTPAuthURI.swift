import Foundation

/// `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`, per
/// Google Authenticator's "Key Uri Format" (label and issuer percent-encoded, secret base32
/// without padding).
enum OTPAuthURI {
    static func make(issuer: String, account: String, secret: [UInt8]) -> String {
        let label = encode(issuer) + ":" + encode(account)
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(encode(issuer))"
            + "&algorithm=SHA1&digits=6&period=30"
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters (so ':' '@' '&' and spaces
    /// in names cannot break the label or the query).
    private static func encode(_ text: String) -> String {
        var unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        unreserved.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
