/// Appending UTF-8 to the output buffer, escaping `& < > " '` (the five characters that can end
/// HTML text or a quoted attribute value; OWASP XSS Prevention Cheat Sheet, rule #1/#2).
extension OutputBuffer {
    @inline(__always)
    /// Through `utf8.span`: `withContiguousStorageIfAvailable` retained and released the string.
    mutating func appendEscaped(_ s: String) {
        s.utf8.span.withUnsafeBufferPointer { appendEscaped($0) }
    }

    /// Bit `c` set for each byte `c` that `appendEscaped` replaces: `& < > " '`.
    private static var escapedBytes: UInt64 {
        (1 << 0x26) | (1 << 0x3C) | (1 << 0x3E) | (1 << 0x22) | (1 << 0x27)
    }

    /// The entity for an escaped byte (one of `escapedBytes`): its bytes packed little-endian
    /// (first byte lowest), and its length. Written with one 8-byte store.
    private static func entity(_ c: UInt8) -> (bytes: UInt64, count: Int) {
        switch c {
        case UInt8(ascii: "&"): (0x3B_70_6D_61_26, 5)  // &amp;
        case UInt8(ascii: "<"): (0x3B_74_6C_26, 4)  // &lt;
        case UInt8(ascii: ">"): (0x3B_74_67_26, 4)  // &gt;
        case UInt8(ascii: "\""): (0x3B_74_6F_75_71_26, 6)  // &quot;
        default: (0x3B_39_33_23_26, 5)  // &#39;
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
        // At most six bytes (`&quot;`) per input byte, and two more: an entity is stored as
        // eight bytes (the bytes past it are overwritten next or left out of `count`).
        write(atMost: bytes.count * 6 + 2) { target in
            target.initialize(from: source, count: first)
            var w = target + first
            var r = source + first
            let end = source + bytes.count
            while r < end {
                let c = r.pointee
                r += 1
                if Self.isEscaped(c) {
                    let entity = Self.entity(c)
                    UnsafeMutableRawPointer(w).storeBytes(of: entity.bytes.littleEndian, as: UInt64.self)
                    w += entity.count
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
        s.utf8.span.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Decimal digits of `value` without going through String, written in place (digits counted
    /// first, then filled in from the last).
    mutating func appendInt(_ value: Int) {
        var digits = 1
        var rest = value.magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        let length = digits + (value < 0 ? 1 : 0)
        write(atMost: length) { target in
            if value < 0 { target.initialize(to: UInt8(ascii: "-")) }
            var v = value.magnitude
            var i = length
            repeat {
                i -= 1
                (target + i).initialize(to: UInt8(ascii: "0") + UInt8(v % 10))
                v /= 10
            } while v != 0
            return length
        }
    }
}
