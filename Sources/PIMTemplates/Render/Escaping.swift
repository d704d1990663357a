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
    /// nothing to escape is appended as it is; other text is assembled in a scratch buffer (on
    /// the stack when small) and appended once. Appending each unescaped run and entity on its
    /// own cost an `append(contentsOf:)` per piece, and names like `Ops <01> & "blue"` have many.
    mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        var first = 0
        while first < bytes.count, !Self.isEscaped(bytes[first]) { first += 1 }
        if first == bytes.count {
            append(contentsOf: bytes)
            return
        }
        // At most six bytes (`&quot;`) per input byte.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count * 6) { scratch in
            let target = scratch.baseAddress!
            var written = 0
            func copy(_ from: UnsafePointer<UInt8>, _ count: Int) {
                (target + written).initialize(from: from, count: count)
                written += count
            }
            copy(source, first)
            var runStart = first
            for i in first..<bytes.count where Self.isEscaped(bytes[i]) {
                copy(source + runStart, i - runStart)
                let entity = Self.entity(bytes[i])
                copy(entity.utf8Start, entity.utf8CodeUnitCount)
                runStart = i + 1
            }
            copy(source + runStart, bytes.count - runStart)
            // Only the first `written` bytes, all initialized above, are appended.
            append(contentsOf: UnsafeBufferPointer(start: target, count: written))
        }
    }

    @inline(__always)
    mutating func appendRaw(_ s: String) {
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { append(contentsOf: $0) }
        if done == nil { append(contentsOf: s.utf8) }
    }

    /// Decimal digits of `value` without going through String, most significant first (no
    /// reversal: reversing `self[start...]` copied the slice, one malloc per number).
    mutating func appendInt(_ value: Int) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var v = value.magnitude
        var unit: UInt = 1
        while v / unit >= 10 { unit *= 10 }
        while true {
            append(UInt8(ascii: "0") + UInt8(v / unit))
            if unit == 1 { break }
            v %= unit
            unit /= 10
        }
    }
}
