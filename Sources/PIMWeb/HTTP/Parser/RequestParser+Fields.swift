import HTTPTypes

extension RequestParser {
    /// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). Returns false when the
    /// line is incomplete. The empty line ends the section.
    mutating func parseFieldLine(trailer: Bool) throws(HTTPParseError) -> Bool {
        // The unfinished line counts against the section limit as it arrives, CRLF included.
        let budget = configuration.maxHeaderBytes - sectionBytes - 2
        guard let end = try findLineEnd(limit: budget, overLimit: .headerSectionTooLarge) else { return false }
        if end == start {
            start += 2
            if trailer { state = .complete } else { try finishHead() }
            return true
        }
        sectionBytes += end - start + 2
        sectionFields += 1
        guard sectionBytes <= configuration.maxHeaderBytes else { throw HTTPParseError(.headerSectionTooLarge) }
        guard sectionFields <= configuration.maxHeaderFields else { throw HTTPParseError(.tooManyFields) }
        // A line starting with whitespace is obs-fold (RFC 9112 §5.2), which we reject.
        let first = buffer[start]
        guard first != ByteClass.sp && first != ByteClass.htab else { throw HTTPParseError(.obsFold) }
        var colon = start
        while colon < end && buffer[colon] != ByteClass.colon {
            let byte = buffer[colon]
            // RFC 9112 §5.1: no whitespace between field name and colon; reject with 400.
            if byte == ByteClass.sp || byte == ByteClass.htab { throw HTTPParseError(.whitespaceBeforeColon) }
            guard ByteClass.isTChar(byte) else { throw HTTPParseError(.badFieldName) }
            colon += 1
        }
        guard colon < end, colon > start else { throw HTTPParseError(.badFieldName) }
        var valueStart = colon + 1
        var valueEnd = end
        for index in valueStart..<valueEnd where !ByteClass.isFieldValueByte(buffer[index]) {
            throw HTTPParseError(.badFieldValue)
        }
        while valueStart < valueEnd && (buffer[valueStart] == ByteClass.sp || buffer[valueStart] == ByteClass.htab) {
            valueStart += 1
        }
        while valueEnd > valueStart && (buffer[valueEnd - 1] == ByteClass.sp || buffer[valueEnd - 1] == ByteClass.htab) {
            valueEnd -= 1
        }
        if !trailer {
            // Token checked above, so the name initializer cannot fail.
            let name = Self.fieldName(buffer[start..<colon])
            fields.append(HTTPField(name: name, value: buffer[valueStart..<valueEnd]))
        }
        start = end + 2
        return true
    }

    static func fieldName(_ bytes: ArraySlice<UInt8>) -> HTTPField.Name {
        if ByteClass.equalsLowercase(bytes, "host") { return Self.hostName }
        if ByteClass.equalsLowercase(bytes, "content-length") { return .contentLength }
        return HTTPField.Name(String(decoding: bytes, as: UTF8.self))!
    }

    /// Decides framing and connection handling once the header section is complete
    /// (RFC 9112 §6.3, §9.3; RFC 9110 §7.2, §10.1.1).
    mutating func finishHead() throws(HTTPParseError) {
        let hosts = fields[values: Self.hostName]
        guard hosts.count <= 1 else { throw HTTPParseError(.duplicateHost) }
        if let host = hosts.first {
            guard Self.isValidAuthority(host.utf8) else { throw HTTPParseError(.badHost) }
            if targetAuthority == nil { targetAuthority = host }
        } else if version == .http11 {
            throw HTTPParseError(.missingHost)
        }

        let lengths = fields[values: .contentLength]
        let codings = fields[values: .transferEncoding]
        var declaredLength = 0
        var chunked = false
        if !codings.isEmpty {
            // RFC 9112 §6.1: TE in HTTP/1.0 is faulty framing; TE with CL may be smuggling.
            guard version == .http11 else { throw HTTPParseError(.transferEncodingInHTTP10) }
            guard lengths.isEmpty else { throw HTTPParseError(.contentLengthWithTransferEncoding) }
            let list = codings.flatMap { $0.split(separator: ",") }
                .map { $0.trimmingOWS() }
                .filter { !$0.isEmpty }
            guard let last = list.last, last.lowercased() == "chunked" else {
                throw HTTPParseError(.transferEncodingNotChunked)
            }
            let others = list.dropLast()
            guard !others.contains(where: { $0.lowercased() == "chunked" }) else {
                throw HTTPParseError(.transferEncodingNotChunked)
            }
            guard others.isEmpty else { throw HTTPParseError(.unsupportedTransferCoding) }
            chunked = true
        } else if let first = lengths.first {
            // RFC 9112 §6.3 item 5: a list or differing values are unrecoverable errors.
            guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.count <= 18,
                  first.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let value = Int(first) else {
                throw HTTPParseError(.badContentLength)
            }
            guard value <= configuration.maxBodyBytes else { throw HTTPParseError(.bodyTooLarge) }
            declaredLength = value
        }

        var expectContinue = false
        let expectations = fields[values: .expect]
        if !expectations.isEmpty && version == .http11 {
            guard expectations.allSatisfy({ $0.lowercased() == "100-continue" }) else {
                throw HTTPParseError(.unsupportedExpectation)
            }
            expectContinue = true
        }

        for value in fields[values: .connection] {
            for option in value.split(separator: ",") {
                switch option.trimmingOWS().lowercased() {
                case "close": keepAlive = false
                case "keep-alive" where version == .http10: keepAlive = true
                default: break
                }
            }
        }

        if chunked {
            state = .chunkSize
        } else if declaredLength > 0 {
            state = .fixedBody(remaining: declaredLength)
        } else {
            state = .complete
        }
        continuePending = expectContinue && (chunked || declaredLength > 0)
    }
}

extension StringProtocol {
    /// Drops optional whitespace (SP / HTAB, RFC 9110 §5.6.3) at both ends.
    func trimmingOWS() -> Substring {
        var result = Substring(self)
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}

extension RequestParser {
    /// swift-http-types hides `.host` to steer HTTP/2 users to `:authority`; HTTP/1.1 needs it.
    static let hostName = HTTPField.Name("Host")!
}
