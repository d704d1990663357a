/// Appending UTF-8 to the output buffer, escaping `& < > " '` (the five characters that can end
/// HTML text or a quoted attribute value; OWASP XSS Prevention Cheat Sheet, rule #1/#2).
extension OutputBuffer {
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

    /// The entity for an escaped byte (one of `escapedBytes`).
    private static func entity(_ c: UInt8) -> StaticString {
        switch c {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\""): "&quot;"
        default: "&#39;"
        }
    }

    private static func isEscaped(_ c: UInt8) -> Bool {
        c < 64 && escapedBytes & (1 << UInt64(c)) != 0
    }

    /// One pass: only these five bytes (all ASCII and never inside a multi-byte sequence) need
    /// work, and all are below 64, so one test against a bit mask picks them out. Text with
    /// nothing to escape is appended as it is; other text is written straight into the output,
    /// byte by byte from the first escaped one (copying each run and entity with its own copy
    /// call cost more: names like `Ops <01> & "blue"` have many short runs).
    mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        var first = 0
        while first < bytes.count, !Self.isEscaped(bytes[first]) { first += 1 }
        if first == bytes.count {
            append(contentsOf: bytes)
            return
        }
        // At most six bytes (`&quot;`) per input byte.
        write(atMost: bytes.count * 6) { target in
            target.initialize(from: source, count: first)
            var w = target + first
            for c in UnsafeBufferPointer(rebasing: bytes[first...]) {
                if Self.isEscaped(c) {
                    let entity = Self.entity(c)
                    for i in 0..<entity.utf8CodeUnitCount { w[i] = entity.utf8Start[i] }
                    w += entity.utf8CodeUnitCount
                } else {
                    w.initialize(to: c)
                    w += 1
                }
            }
            return w - target
        }
    }

    @inline(__always)
    mutating func appendRaw(_ s: String) {
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { append(contentsOf: $0) }
        if done == nil { Array(s.utf8).withUnsafeBufferPointer { append(contentsOf: $0) } }
    }

    /// Decimal digits of `value` without going through String: written backwards into a small
    /// stack buffer, then appended in one go.
    mutating func appendInt(_ value: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var v = value.magnitude
            var i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v != 0
            if value < 0 {
                i -= 1
                digits[i] = UInt8(ascii: "-")
            }
            append(contentsOf: UnsafeBufferPointer(rebasing: digits[i...]))
        }
    }
}
