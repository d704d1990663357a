import Foundation

/// Turns untrusted text (names, subjects built from justifications) into header values that
/// cannot break the header block: CR, LF and other controls become spaces, non-ASCII and
/// suspicious words become RFC 2047 encoded-words, and lines are folded per RFC 5322 §2.2.3.
enum HeaderEncoding {
    /// RFC 5322 §2.1.1: lines SHOULD be at most 78 characters.
    static let lineLimit = 78
    /// RFC 2047 §2: an encoded-word is at most 75 characters. "=?UTF-8?B?" + "?=" leave 63,
    /// i.e. 15 base64 quanta = 45 octets of UTF-8.
    static let encodedWordPayloadOctets = 45
    /// ASCII words longer than this are encoded too, so that folding can always keep lines short.
    static let longestPlainWord = 70

    /// Replaces every control character (CR, LF, TAB, NUL, U+2028 …) with a space and collapses
    /// runs of whitespace, so nothing a user typed can start a new header line.
    static func singleLine(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            let isSpace = scalar.properties.isControlLike || scalar.properties.isWhitespace
            if isSpace {
                if !lastWasSpace { scalars.append(" ") }
                lastWasSpace = true
            } else {
                scalars.append(scalar)
                lastWasSpace = false
            }
        }
        var result = String(scalars)
        if result.hasSuffix(" ") { result.removeLast() }
        return result
    }

    /// RFC 2047 §4.1 "B" encoded-words for `text`, split at Unicode scalar boundaries so that
    /// no word exceeds 75 characters and no UTF-8 sequence is cut.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            let octets = Array(String(scalar).utf8)
            if chunk.count + octets.count > encodedWordPayloadOctets { flush() }
            chunk += octets
        }
        flush()
        return words
    }

    /// An unstructured value (RFC 5322 §3.2.5, e.g. Subject). Plain ASCII words stay readable
    /// (so a subject still starts "PIM:" on the wire); runs of words that are non-ASCII, very
    /// long, or look like encoded-words are encoded together with their inner spaces.
    static func unstructured(_ text: String) -> [String] {
        var tokens: [String] = []
        var pending: [Substring] = []
        func flushPending() {
            guard !pending.isEmpty else { return }
            tokens += encodedWords(pending.joined(separator: " "))
            pending.removeAll()
        }
        for word in singleLine(text).split(separator: " ") {
            if needsEncoding(word) {
                pending.append(word)
            } else {
                flushPending()
                tokens.append(String(word))
            }
        }
        flushPending()
        return tokens
    }

    private static func needsEncoding(_ word: Substring) -> Bool {
        word.utf8.count > longestPlainWord || word.contains("=?")
            || word.unicodeScalars.contains { !$0.isASCII || $0.value < 0x21 || $0.value == 0x7F }
    }

    /// A display name as an RFC 5322 §3.2.5 phrase: atoms when it is plain, a quoted-string for
    /// other printable ASCII, encoded-words (RFC 2047 §5(3)) for anything else.
    static func phrase(_ name: String) -> [String] {
        let clean = singleLine(name)
        let words = clean.split(separator: " ")
        if words.allSatisfy({ $0.utf8.allSatisfy(isAtext) && !needsEncoding($0) }) {
            return words.map(String.init)
        }
        let printableASCII = clean.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if printableASCII && clean.utf8.count <= longestPlainWord {
            let escaped = clean.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
            return ["\"" + escaped + "\""]
        }
        return encodedWords(clean)
    }

    /// `name <address>`, or the bare address when the name is empty (RFC 5322 §3.4).
    static func mailbox(name: String?, address: EmailAddress) -> [String] {
        let words = phrase(name ?? "")
        return words.isEmpty ? [address.value] : words + ["<" + address.value + ">"]
    }

    /// `Name: token token…` folded before any token that would pass the line limit.
    static func field(_ name: String, _ tokens: [String]) -> String {
        var line = name + ":"
        var output = ""
        for token in tokens {
            if line.utf8.count + 1 + token.utf8.count > lineLimit && line.utf8.count > name.utf8.count + 1 {
                output += line + "\r\n"
                line = ""
            }
            line += " " + token
        }
        return output + line + "\r\n"
    }

    /// atext (RFC 5322 §3.2.3).
    static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(byte)
        }
    }
}
