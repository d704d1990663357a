import Crypto
import Foundation

/// A 256-bit random session id. The browser holds its text form; the database holds only its
/// SHA-256, so a copy of the database cannot be used to take over a session.
public struct SessionID: Sendable, Hashable {
    static let byteCount = 32
    let bytes: [UInt8]
    /// What the database stores and looks up: computed once, since a request looks the session
    /// up several times (session, touch, flash cookie).
    let storageHash: Data

    /// A fresh id from the system CSPRNG.
    public static func generate() -> SessionID { SessionID(bytes: SecureRandom.bytes(byteCount)) }

    init(bytes: [UInt8]) {
        self.bytes = bytes
        self.storageHash = Data(SHA256.hash(data: bytes))
    }

    /// Parses a cookie value; anything but 43 base64url characters decoding to 32 bytes is nil.
    public init?(token: String) {
        guard token.utf8.count == 43, let bytes = Base64URL.decode(token), bytes.count == Self.byteCount else {
            return nil
        }
        self.init(bytes: bytes)
    }

    /// The cookie value. Never log it.
    public var token: String { Base64URL.encode(bytes) }

    /// The session's CSRF token: HMAC of a fixed label under the session id. It is bound to the
    /// session, needs no storage, changes at rotation, and does not reveal the id.
    var csrfToken: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("pim-csrf-v1".utf8), using: SymmetricKey(data: bytes))
        return Base64URL.encode(mac)
    }
}
