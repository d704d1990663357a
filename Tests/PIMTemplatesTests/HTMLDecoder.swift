/// Decodes exactly the five references PIMTemplates emits, and fails on any other `&`, raw
/// `<`, `>`, `"` or `'` — so a round trip through it proves both "escaped" and "nothing lost".
enum StrictDecoder {
    struct Invalid: Error { let reason: String }

    /// Works on Unicode scalars: a combining mark after `;` or `>` must not hide them in a grapheme.
    static func decode(_ escaped: String) throws -> String {
        let table: [(String, Unicode.Scalar)] = [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'")]
        var out = String.UnicodeScalarView()
        var rest = Substring(escaped).unicodeScalars[...]
        while let c = rest.first {
            switch c {
            case "&":
                guard let (entity, ch) = table.first(where: { rest.starts(with: $0.0.unicodeScalars) }) else {
                    throw Invalid(reason: "bare '&'")
                }
                out.append(ch)
                rest = rest.dropFirst(entity.unicodeScalars.count)
            case "<", ">", "\"", "'":
                throw Invalid(reason: "raw '\(c)'")
            default:
                out.append(c)
                rest = rest.dropFirst()
            }
        }
        return String(out)
    }
}

/// `html` without `prefix` and `suffix`, cut by Unicode scalars (not graphemes).
func between(_ html: String, _ prefix: String, _ suffix: String) -> String {
    let scalars = html.unicodeScalars
    return String(String.UnicodeScalarView(scalars.dropFirst(prefix.unicodeScalars.count).dropLast(suffix.unicodeScalars.count)))
}

/// A small deterministic generator (SplitMix64) so property tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random strings biased towards what breaks escapers: control characters, quotes, entity-like
/// fragments, combining marks, bidi controls, emoji ZWJ sequences, astral scalars (no surrogates).
func hostileString(_ rng: inout SplitMix64) -> String {
    let fragments = ["&", "<", ">", "\"", "'", "&amp;", "&#39;", "&lt", "&#x3C;", "&quot", "&#", "&;", "</p>", "<script>",
                     "\u{0301}", "\u{202E}", "\u{200F}", "\u{FEFF}", "\u{FFFD}", "😀", "👩‍👩‍👧", "e\u{0301}", "עברית", "漢字",
                     "\r\n", "\t", "{{", "}}", "{%", "\\", "`", "="]
    var s = ""
    for _ in 0..<Int.random(in: 0...24, using: &rng) {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: s += fragments.randomElement(using: &rng)!
        case 1: s.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0...0x1F, using: &rng)))
        case 2: s.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0x20...0x7F, using: &rng)))
        case 3: s.unicodeScalars.append(Unicode.Scalar(UInt32.random(in: 0x80...0xD7FF, using: &rng))!)
        case 4: s.unicodeScalars.append(Unicode.Scalar(UInt32.random(in: 0xE000...0xFFFD, using: &rng))!)
        default: s.unicodeScalars.append(Unicode.Scalar(UInt32.random(in: 0x10000...0x10FFFF, using: &rng))!)
        }
    }
    return s
}
