/// Quoted-printable body encoding, RFC 2045 §6.7.
///
/// Line breaks of the input (LF, CRLF or CR) become CRLF hard breaks; encoded lines are at most
/// 76 characters with "=" soft breaks (rule 5); "=" and non-printable octets become "=XX"
/// (rule 1); trailing spaces and tabs are encoded (rule 3). The output never contains "=_",
/// which is why MIME boundaries built with "=_" cannot collide with a part's content.
enum QuotedPrintable {
    static let maxLineLength = 76

    static func encode(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return normalized.split(separator: "\n", omittingEmptySubsequences: false)
            .map { encodeLine(Array($0.utf8)) }
            .joined(separator: "\r\n")
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    private static func encodeLine(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var lineLength = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let literal: Bool
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): literal = !isLast
            case 33...60, 62...126: literal = true
            default: literal = false
            }
            let piece: [UInt8] = literal ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            // Keep room for the "=" of a soft break unless this is the line's last piece.
            let limit = isLast ? maxLineLength : maxLineLength - 1
            if lineLength + piece.count > limit {
                output += Array("=\r\n".utf8)
                lineLength = 0
            }
            output += piece
            lineLength += piece.count
        }
        return String(decoding: output, as: UTF8.self)
    }
}
