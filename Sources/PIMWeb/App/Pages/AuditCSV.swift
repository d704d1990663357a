/// CSV for spreadsheets, per RFC 4180: fields separated by commas, records ended by CRLF, a field
/// quoted when it holds a comma, quote, CR or LF, with inner quotes doubled (§2, rules 5–7).
/// Spreadsheets treat a cell starting with `= + - @` (and tab or CR) as a formula, so such a cell
/// is neutralised by a leading apostrophe (OWASP "CSV injection"), before quoting.
enum AuditCSV {
    /// UTF-8 byte order mark: Excel reads the file as UTF-8 only with it.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Appends one record (with its CRLF) to `buffer`.
    static func appendRecord(_ fields: [String?], to buffer: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            appendField(field ?? "", to: &buffer)
        }
        buffer.append(UInt8(ascii: "\r"))
        buffer.append(UInt8(ascii: "\n"))
    }

    static func appendField(_ value: String, to buffer: inout [UInt8]) {
        let text = neutralised(value)
        let needsQuotes = text.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
        }
        guard needsQuotes else {
            buffer.append(contentsOf: text.utf8)
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// The cell text a spreadsheet will not evaluate: a leading `'` before a formula trigger.
    static func neutralised(_ value: String) -> String {
        guard let first = value.utf8.first else { return value }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D:
            return "'" + value
        default:
            return value
        }
    }
}
