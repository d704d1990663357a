import Crypto
import ExtrasBase64
import Foundation

/// Cryptographically secure random bytes and the URL-safe text form PIM uses for tokens.
enum SecureRandom {
    /// `count` bytes from the system CSPRNG (via swift-crypto's SymmetricKey, i.e. getrandom(2)).
    static func bytes(_ count: Int) -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Array($0) }
    }
}

/// RFC 4648 §5 (URL-safe alphabet, no padding) through swift-extras-base64: session cookies and
/// CSRF tokens are encoded and decoded on every request, and Foundation's base64 plus three
/// string replacements cost more than the HMAC they encode.
enum Base64URL {
    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Base64.encodeToString(bytes: Array(bytes), options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }

    private static func isURLSafe(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2D || byte == 0x5F
    }

    /// Strict decoding: only the URL-safe alphabet, no padding, no whitespace; nil otherwise.
    static func decode(_ text: String) -> [UInt8]? {
        // The library also takes padding; tokens never have any.
        guard text.utf8.count % 4 != 1, text.utf8.allSatisfy(isURLSafe) else { return nil }
        return try? Base64.decode(string: text, options: [.base64UrlAlphabet, .omitPaddingCharacter])
    }
}

enum ConstantTime {
    /// Compares two byte strings in time that depends only on their lengths.
    static func equal<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
