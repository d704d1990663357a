/// Recognises values that would make a URL attribute run script.
///
/// Browsers strip leading C0 controls and spaces and remove tabs and newlines anywhere in a URL
/// before reading its scheme, which they compare ASCII-case-insensitively (WHATWG URL §4.4,
/// "basic URL parser"); attribute values are decoded from character references first
/// (WHATWG HTML §13.2.5.38). We check both the value as given and its entity-decoded form,
/// after removing every control, whitespace and invisible formatting character, so that
/// `JaVa&#x09;ScRiPt:`, `\0javascript:`, `java\u{200B}script:` … are all caught.
enum URLSafety {
    static let replacement = "about:invalid#pim-unsafe-url"
    static let dangerousSchemes: Set<String> = ["javascript", "vbscript", "data", "livescript", "mocha"]

    static func isDangerous(_ value: String) -> Bool {
        if hasDangerousScheme(value.unicodeScalars) { return true }
        // Over the contiguous bytes when there are (native strings): String.UTF8View's own
        // `contains` walks string indices, several hundred instructions for a short URL.
        let hasReference = value.utf8.withContiguousStorageIfAvailable { $0.contains(UInt8(ascii: "&")) }
            ?? value.utf8.contains(UInt8(ascii: "&"))
        guard hasReference else { return false }
        return hasDangerousScheme(decodeCharacterReferences(value).unicodeScalars)
    }

    private static func isIgnorable(_ s: Unicode.Scalar) -> Bool {
        // ASCII (nearly every URL): no scalar above space is whitespace, format or default
        // ignorable; answering here skips three Unicode property lookups per scalar.
        if s.value < 0x7F { return s.value <= 0x20 }
        return s.value == 0x7F || (0x80...0x9F).contains(s.value)
            || s.properties.isWhitespace || s.properties.generalCategory == .format
            || s.properties.isDefaultIgnorableCodePoint
    }

    private static func hasDangerousScheme(_ scalars: some Sequence<Unicode.Scalar>) -> Bool {
        var scheme = ""
        for s in scalars {
            if isIgnorable(s) { continue }
            if s == ":" { return dangerousSchemes.contains(scheme) }
            // An ASCII letter (what `properties.isAlphabetic` says of ASCII, without the lookup).
            let isLetter = (0x41...0x5A).contains(s.value) || (0x61...0x7A).contains(s.value)
            guard s.isASCII, isLetter || s == "+" || s == "-" || s == "." || ("0"..."9").contains(s) else {
                return false
            }
            let lowered = (0x41...0x5A).contains(s.value) ? s.value | 0x20 : s.value
            scheme.unicodeScalars.append(Unicode.Scalar(lowered)!)
            if scheme.utf8.count > 16 { return false }
        }
        return false
    }

    /// Decodes numeric references (`&#106;`, `&#x6A`, with or without `;`, leading zeros) and the
    /// named ones that can spell a scheme or hide a separator.
    static func decodeCharacterReferences(_ value: String) -> String {
        let named: [String: Unicode.Scalar] = [
            "colon": ":", "tab": "\t", "newline": "\n", "amp": "&", "lt": "<", "gt": ">",
            "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "sol": "/", "num": "#", "quest": "?",
        ]
        let s = Array(value.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            guard s[i] == "&" else { out.append(s[i]); i += 1; continue }
            var j = i + 1
            if j < s.count, s[j] == "#" {
                j += 1
                var hex = false
                if j < s.count, s[j] == "x" || s[j] == "X" { hex = true; j += 1 }
                var code: UInt32 = 0
                var digits = 0
                while j < s.count, let d = hexValue(s[j]), hex || d < 10 {
                    code = min(code &* (hex ? 16 : 10) &+ d, 0x110000)
                    digits += 1
                    j += 1
                }
                if digits > 0 {
                    if j < s.count, s[j] == ";" { j += 1 }
                    out.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    i = j
                    continue
                }
            } else {
                var name = ""
                while j < s.count, s[j].properties.isAlphabetic, name.count < 10 { name.unicodeScalars.append(s[j]); j += 1 }
                if let scalar = named[name.lowercased()] {
                    if j < s.count, s[j] == ";" { j += 1 }
                    out.append(scalar)
                    i = j
                    continue
                }
            }
            out.append(s[i])
            i += 1
        }
        return String(out)
    }

    private static func hexValue(_ s: Unicode.Scalar) -> UInt32? {
        switch s.value {
        case 0x30...0x39: s.value - 0x30
        case 0x41...0x46: s.value - 0x41 + 10
        case 0x61...0x66: s.value - 0x61 + 10
        default: nil
        }
    }
}
