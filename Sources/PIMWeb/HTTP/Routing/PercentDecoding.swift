/// Percent-decoding (RFC 3986 §2.1) into UTF-8 text; `+` means space only in forms
/// (application/x-www-form-urlencoded, WHATWG URL §5.1).
enum PercentDecoding {
    /// nil when a "%" is not followed by two hex digits or the bytes are not UTF-8.
    static func decode<S: StringProtocol>(_ text: S, plusIsSpace: Bool) -> String? {
        guard let bytes = decodeBytes(text.utf8, plusIsSpace: plusIsSpace) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    static func decodeBytes<C: Collection<UInt8>>(_ input: C, plusIsSpace: Bool) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = input.startIndex
        while index < input.endIndex {
            let byte = input[index]
            if byte == UInt8(ascii: "%") {
                let first = input.index(after: index)
                guard first < input.endIndex else { return nil }
                let second = input.index(after: first)
                guard second < input.endIndex, let high = hex(input[first]), let low = hex(input[second]) else { return nil }
                output.append(high << 4 | low)
                index = input.index(after: second)
                continue
            }
            output.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = input.index(after: index)
        }
        return output
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - 87
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - 55
        default: nil
        }
    }
}
