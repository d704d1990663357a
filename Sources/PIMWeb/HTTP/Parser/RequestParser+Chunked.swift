extension RequestParser {
    /// chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1). Extensions are checked and ignored.
    mutating func parseChunkSizeLine() throws(HTTPParseError) -> Bool {
        let limit = configuration.maxChunkLineLength - 2
        guard let end = try findLineEnd(limit: limit, overLimit: .chunkLineTooLong) else { return false }
        var index = start
        var size = 0
        while index < end, let digit = Self.hexValue(buffer[index]) {
            let (shifted, overflow) = size.multipliedReportingOverflow(by: 16)
            guard !overflow else { throw HTTPParseError(.badChunkSize) }
            size = shifted + digit
            index += 1
        }
        guard index > start else { throw HTTPParseError(.badChunkSize) }
        if index < end {
            let byte = buffer[index]
            guard byte == ByteClass.sp || byte == ByteClass.htab || byte == UInt8(ascii: ";") else {
                throw HTTPParseError(.badChunkSize)
            }
            try Self.validateChunkExtensions(buffer[index..<end])
        }
        start = end + 2
        if size == 0 {
            state = .trailers
            sectionBytes = 0
            sectionFields = 0
        } else {
            guard size <= configuration.maxBodyBytes - body.count else { throw HTTPParseError(.bodyTooLarge) }
            state = .chunkData(remaining: size)
        }
        return true
    }

    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - 48)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - 87)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - 55)
        default: nil
        }
    }

    /// chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), where
    /// chunk-ext-val = token / quoted-string (RFC 9112 §7.1.1).
    static func validateChunkExtensions(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) {
        var index = bytes.startIndex
        func skipWhitespace() {
            while index < bytes.endIndex && (bytes[index] == ByteClass.sp || bytes[index] == ByteClass.htab) {
                index += 1
            }
        }
        func token() -> Bool {
            let tokenStart = index
            while index < bytes.endIndex && ByteClass.isTChar(bytes[index]) { index += 1 }
            return index > tokenStart
        }
        while true {
            skipWhitespace()
            guard index < bytes.endIndex else { return }
            guard bytes[index] == UInt8(ascii: ";") else { throw HTTPParseError(.badChunkExtension) }
            index += 1
            skipWhitespace()
            guard token() else { throw HTTPParseError(.badChunkExtension) }
            skipWhitespace()
            guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "=") else { continue }
            index += 1
            skipWhitespace()
            guard index < bytes.endIndex else { throw HTTPParseError(.badChunkExtension) }
            if bytes[index] == UInt8(ascii: "\"") {
                index += 1
                var closed = false
                while index < bytes.endIndex {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") { closed = true; index += 1; break }
                    if byte == UInt8(ascii: "\\") {
                        index += 1
                        guard index < bytes.endIndex, ByteClass.isFieldValueByte(bytes[index]) else {
                            throw HTTPParseError(.badChunkExtension)
                        }
                    } else if !ByteClass.isFieldValueByte(byte) {
                        throw HTTPParseError(.badChunkExtension)
                    }
                    index += 1
                }
                guard closed else { throw HTTPParseError(.badChunkExtension) }
            } else {
                guard token() else { throw HTTPParseError(.badChunkExtension) }
            }
        }
    }
}
