/// Appending UTF-8 to the output buffer, escaping `& < > " '` (the five characters that can end
/// HTML text or a quoted attribute value; OWASP XSS Prevention Cheat Sheet, rule #1/#2).
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendEscaped(_ s: String) {
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        if done == nil {
            let copy = Array(s.utf8)
            copy.withUnsafeBufferPointer { appendEscaped($0) }
        }
    }

    /// Bit `c` set for each byte `c` that `appendEscaped` replaces: `& < > " '`.
    private static var escapedBytes: UInt64 {
        (1 << 0x26) | (1 << 0x3C) | (1 << 0x3E) | (1 << 0x22) | (1 << 0x27)
    }

    mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            // Fast path: only these five bytes (all ASCII, never inside a multi-byte sequence) need
            // work; all are below 64, so one test against a bit mask picks them out.
            if c >= 64 || Self.escapedBytes & (1 << UInt64(c)) == 0 {
                i += 1
                continue
            }
            if runStart < i { append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
            let entity: StaticString = switch c {
            case UInt8(ascii: "&"): "&amp;"
            case UInt8(ascii: "<"): "&lt;"
            case UInt8(ascii: ">"): "&gt;"
            case UInt8(ascii: "\""): "&quot;"
            default: "&#39;"
            }
            // Straight from the binary's constant bytes: an array literal here was an object
            // retained and released per escaped character.
            entity.withUTF8Buffer { append(contentsOf: $0) }
            i += 1
            runStart = i
        }
        if runStart < n { append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<n])) }
    }

    @inline(__always)
    mutating func appendRaw(_ s: String) {
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { append(contentsOf: $0) }
        if done == nil { append(contentsOf: s.utf8) }
    }

    /// Decimal digits of `value` without going through String: counted first, then written
    /// from the right into their place (reversing `self[start...]` copied the slice each time).
    mutating func appendInt(_ value: Int) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var v = value.magnitude
        var digits = 1
        var rest = v / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let end = count + digits
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var i = end
        repeat {
            i -= 1
            self[i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        } while v > 0
    }
}
