import ExtrasBase64

/// RFC 4648 §6 base32, as authenticator apps expect TOTP secrets (no padding in URIs), through
/// swift-extras-base64.
enum Base32 {
    static func encode(_ bytes: [UInt8]) -> String {
        ExtrasBase64.Base32.encodeToString(bytes: bytes, options: .omitPaddingCharacter)
    }

    /// Case-insensitive; ignores spaces and padding; nil for any other character.
    static func decode(_ text: String) -> [UInt8]? {
        let normalized = String(text.uppercased().filter { $0 != " " && $0 != "=" })
        return try? ExtrasBase64.Base32.decode(string: normalized)
    }

    /// "ABCD EFGH …": easier to type from the screen.
    static func grouped(_ text: String, by size: Int = 4) -> String {
        var groups: [Substring] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            groups.append(rest.prefix(size))
            rest = rest.dropFirst(size)
        }
        return groups.joined(separator: " ")
    }
}
