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

    mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            // Fast path: only these five bytes (all ASCII, never inside a multi-byte sequence) need work.
            if c > UInt8(ascii: ">") || (c != UInt8(ascii: "&") && c != UInt8(ascii: "<") && c != UInt8(ascii: ">")
                && c != UInt8(ascii: "\"") && c != UInt8(ascii: "'"))
            {
                i += 1
                continue
            }
            if runStart < i { append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
            switch c {
            case UInt8(ascii: "&"): append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])              // &amp;
            case UInt8(ascii: "<"): append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])                    // &lt;
            case UInt8(ascii: ">"): append(contentsOf: [0x26, 0x67, 0x74, 0x3B])                    // &gt;
            case UInt8(ascii: "\""): append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])       // &quot;
            default: append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])                             // &#39;
            }
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
