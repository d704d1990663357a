import Crypto
import Foundation
import Synchronization

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
        if let token = Self.recentCSRFTokens.withLock({ $0[storageHash] }) { return token }
        let token = Self.deriveCSRFToken(bytes)
        Self.recentCSRFTokens.withLock { tokens in
            if tokens.count >= Self.recentCSRFTokenLimit { tokens.removeAll(keepingCapacity: true) }
            tokens[storageHash] = token
        }
        return token
    }

    static func deriveCSRFToken(_ id: [UInt8]) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Array("pim-csrf-v1".utf8), using: SymmetricKey(data: id)))
    }

    /// The tokens of the sessions seen last, by id hash. Every page and POST of a session needs
    /// its token, and keying an HMAC with a new key each time (swift-crypto's key set-up) cost
    /// 30K instructions a request, a thirtieth of an Activate POST. A token is only ever handed
    /// to a request that presented its session id, so keeping it adds nothing to find.
    private static let recentCSRFTokens = Mutex<[Data: String]>([:])
    static let recentCSRFTokenLimit = 512
}
