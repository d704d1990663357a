/// Character classes of RFC 9110 §5.6.2 (token) and §5.5 (field values), as byte tests.
enum ByteClass {
    static let cr: UInt8 = 13
    static let lf: UInt8 = 10
    static let sp: UInt8 = 32
    static let htab: UInt8 = 9
    static let colon: UInt8 = 58

    /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|"
    ///         / "~" / DIGIT / ALPHA
    private static let tcharTable: [Bool] = (0..<256).map { value in
        let byte = UInt8(value)
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    @inline(__always) static func isTChar(_ byte: UInt8) -> Bool { tcharTable[Int(byte)] }

    /// field-vchar = VCHAR / obs-text, plus SP and HTAB inside a value. Everything else (NUL, CR,
    /// LF, other CTLs, DEL) is rejected rather than replaced (RFC 9110 §5.5 allows either).
    @inline(__always) static func isFieldValueByte(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte != 0x7F) || byte == htab
    }

    /// Bytes allowed in a request-target: visible ASCII except "#" (a fragment is never sent).
    @inline(__always) static func isTargetByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "#")
    }

    static func isToken<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isTChar)
    }

    @inline(__always) static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte | 0x20 : byte
    }

    /// ASCII case-insensitive comparison of `bytes` with a lowercase literal.
    static func equalsLowercase<C: Collection<UInt8>>(_ bytes: C, _ literal: String) -> Bool {
        bytes.count == literal.utf8.count && zip(bytes, literal.utf8).allSatisfy { lowercased($0) == $1 }
    }
}
