import Crypto
import Foundation

/// AES-256-GCM sealing of TOTP seeds. The user name is bound in as associated data, so a sealed
/// seed copied to another user's row fails to open.
struct SecretBox: Sendable {
    let keys: AuthKeys

    init(keys: AuthKeys) { self.keys = keys }

    private var key: SymmetricKey { keys.totpSecretsKey }

    /// nonce ‖ ciphertext ‖ tag (swift-crypto's combined representation).
    func seal(_ secret: [UInt8], user: String) throws -> Data {
        let box = try AES.GCM.seal(secret, using: key, authenticating: Array(user.utf8))
        guard let combined = box.combined else { throw CryptoKitError.incorrectParameterSize }
        return combined
    }

    func open(_ sealed: Data, user: String) throws -> [UInt8] {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return Array(try AES.GCM.open(box, using: key, authenticating: Array(user.utf8)))
    }
}
