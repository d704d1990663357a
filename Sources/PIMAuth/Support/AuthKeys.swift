import Crypto
import Foundation

/// The keys PIMAuth needs, all derived (HKDF-SHA256, RFC 5869) from one 256-bit master key kept in
/// a file outside the database, created with mode 0600 on first start. A copy of the database
/// alone therefore reveals no TOTP seed and cannot forge sign-in form tokens or flash cookies.
public struct AuthKeys: Sendable {
    // Raw bytes rather than SymmetricKey, which swift-crypto does not mark Sendable on Linux.
    private let totpSecretsBytes: [UInt8]
    private let loginCSRFBytes: [UInt8]
    private let flashBytes: [UInt8]

    var totpSecretsKey: SymmetricKey { SymmetricKey(data: totpSecretsBytes) }
    var loginCSRFKey: SymmetricKey { SymmetricKey(data: loginCSRFBytes) }
    var flashKey: SymmetricKey { SymmetricKey(data: flashBytes) }

    init(master: SymmetricKey) {
        totpSecretsBytes = Self.derive(master, "pim totp secrets v1")
        loginCSRFBytes = Self.derive(master, "pim login csrf v1")
        flashBytes = Self.derive(master, "pim flash cookie v1")
    }

    /// Reads the key file at `path`, creating it (32 random bytes, mode 0600, O_EXCL) if absent.
    /// Refuses a file that others can read or that is not exactly 32 bytes.
    public static func loadOrCreate(path: String) throws(KeyFileError) -> AuthKeys {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            let bytes = SecureRandom.bytes(32)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            let synced = fsync(fd)
            close(fd)
            guard written == 32, synced == 0 else {
                unlink(path)
                throw KeyFileError(path: path, reason: "could not write the new key file (errno \(errno))")
            }
            return AuthKeys(master: SymmetricKey(data: bytes))
        }
        guard errno == EEXIST else { throw KeyFileError(path: path, reason: "cannot create (errno \(errno))") }
        var info = stat()
        guard stat(path, &info) == 0 else { throw KeyFileError(path: path, reason: "cannot stat (errno \(errno))") }
        guard info.st_mode & 0o077 == 0 else {
            throw KeyFileError(path: path, reason: "is readable by group or others; chmod 600 it")
        }
        guard let data = FileManager.default.contents(atPath: path), data.count == 32 else {
            throw KeyFileError(path: path, reason: "is unreadable or not 32 bytes long")
        }
        return AuthKeys(master: SymmetricKey(data: data))
    }

    /// Fixed keys from given master bytes, for tests (PIMWebTests use it too). Never in production:
    /// anyone could derive them.
    public static func forTesting(master: [UInt8] = Array(repeating: 7, count: 32)) -> AuthKeys {
        AuthKeys(master: SymmetricKey(data: master))
    }

    private static func derive(_ master: SymmetricKey, _ label: String) -> [UInt8] {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Array(label.utf8), outputByteCount: 32)
            .withUnsafeBytes { Array($0) }
    }
}

public struct KeyFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "key file \(path) \(reason)" }
}
