/// A validated mailbox address (`local@domain`) safe to place in a header or an SMTP envelope.
///
/// Accepts the dot-atom form of RFC 5322 §3.4.1 with an ASCII domain of RFC 1035 labels (or a
/// bracketed address literal, RFC 5321 §4.1.3). Quoted local parts, comments, non-ASCII
/// addresses (SMTPUTF8) and anything with whitespace or control characters are refused, so an
/// address can never carry CR/LF into a header or an SMTP command.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ text: String) throws(MailError) {
        guard Self.isValid(text) else { throw .invalidAddress(Self.printable(text)) }
        value = text
    }

    public var description: String { value }

    /// RFC 5321 §4.5.3.1: 64 octets of local part, 255 of domain; 254 in a path in practice.
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        return isDotAtom(local) && local.count <= 64 && isDomain(domain)
    }

    private static func isDotAtom(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        return bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            .allSatisfy { !$0.isEmpty && $0.allSatisfy(HeaderEncoding.isAtext) }
    }

    private static func isDomain(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        if bytes.first == UInt8(ascii: "[") {
            // Address literal: only digits, hex, dots and colons (IPv4/IPv6), RFC 5321 §4.1.3.
            guard bytes.last == UInt8(ascii: "]"), bytes.count > 2 else { return false }
            return bytes.dropFirst().dropLast().allSatisfy { byte in
                byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") || isHexOrLetter(byte)
            }
        }
        return bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy(isLabel)
    }

    private static func isHexOrLetter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return false
        }
    }

    /// RFC 1035 §2.3.1 label (letters, digits, inner hyphens), at most 63 octets.
    private static func isLabel(_ label: ArraySlice<UInt8>) -> Bool {
        guard !label.isEmpty, label.count <= 63,
              label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
        return label.allSatisfy { isHexOrLetter($0) || $0 == UInt8(ascii: "-") }
    }

    /// An invalid address as it may appear in an error: controls removed, length bounded.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isControlLike }).prefix(120))
    }
}

extension Unicode.Scalar.Properties {
    /// Control characters and line/paragraph separators: never allowed raw in a header.
    var isControlLike: Bool {
        generalCategory == .control || generalCategory == .lineSeparator
            || generalCategory == .paragraphSeparator
    }
}
