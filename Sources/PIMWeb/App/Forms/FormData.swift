import Foundation

/// The fields of a form body or a query string for the pages, decoded by the http layer's
/// `FormFields` (strict: malformed percent-encoding, invalid UTF-8 or too many fields give an
/// empty form, which then fails the CSRF check or the page's validation). Keeps order and
/// repeated names (`role=1&role=2`).
struct FormData: Sendable, Equatable {
    private(set) var fields: [(name: String, value: String)] = []

    init() {}

    init(_ pairs: [(String, String)]) {
        fields = pairs.map { (name: $0.0, value: $0.1) }
    }

    init(urlEncoded text: String) {
        self.init(urlEncodedBytes: Array(text.utf8))
    }

    init(urlEncodedBytes bytes: [UInt8]) {
        fields = (try? FormFields.parse(bytes))?.pairs ?? []
    }

    /// The first value of `name`, if any.
    subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// The first value of `name` with surrounding whitespace removed; "" when absent.
    func trimmed(_ name: String) -> String {
        guard let value = self[name] else { return "" }
        // ASCII (nearly every field): .whitespacesAndNewlines is TAB…CR and space there.
        guard value.utf8.allSatisfy({ $0 < 0x80 }) else { return value.trimmingCharacters(in: .whitespacesAndNewlines) }
        let bytes = value.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = bytes.lastIndex(where: { !isSpace($0) })!
        if first == bytes.startIndex && last == bytes.index(before: bytes.endIndex) { return value }
        return String(value[first...last])
    }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// Every value of `name` that is a positive integer id, duplicates removed, order kept.
    func ids(_ name: String) -> [Int64] {
        var seen = Set<Int64>()
        return all(name).compactMap { Int64($0) }.filter { $0 > 0 && seen.insert($0).inserted }
    }

    static func == (lhs: FormData, rhs: FormData) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    /// Encodes fields back into `a=1&b=2` (for links that carry a form's values).
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "*"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
