import HTTPTypes

extension RequestParser {
    /// request-line = method SP request-target SP HTTP-version CRLF (RFC 9112 §3). Checks each
    /// byte as it is scanned so an over-long method or target fails before its line ends.
    mutating func parseRequestLine() throws(HTTPParseError) -> Bool {
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before a request-line.
        while scanOffset == 0, buffer.count - start >= 1, buffer[start] == ByteClass.cr || buffer[start] == ByteClass.lf {
            guard buffer.count - start >= 2 else { return false }
            guard buffer[start] == ByteClass.cr, buffer[start + 1] == ByteClass.lf else {
                throw HTTPParseError(buffer[start] == ByteClass.lf ? .bareLF : .bareCR)
            }
            emptyLinesSkipped += 1
            guard emptyLinesSkipped <= 8 else { throw HTTPParseError(.badRequestLine) }
            start += 2
        }
        var index = start + scanOffset
        var lineEnd: Int?
        while index < buffer.count {
            let byte = buffer[index]
            let offset = index - start
            if byte == ByteClass.cr {
                guard index + 1 < buffer.count else { break }
                guard buffer[index + 1] == ByteClass.lf else { throw HTTPParseError(.bareCR) }
                lineEnd = index
                break
            }
            if byte == ByteClass.lf { throw HTTPParseError(.bareLF) }
            if byte == ByteClass.sp {
                if firstSpace == nil {
                    guard offset > 0 else { throw HTTPParseError(.badRequestLine) }
                    firstSpace = offset
                } else if secondSpace == nil {
                    guard offset > firstSpace! + 1 else { throw HTTPParseError(.badRequestLine) }
                    secondSpace = offset
                } else {
                    throw HTTPParseError(.badRequestLine)
                }
            } else if let first = firstSpace {
                if let second = secondSpace {
                    guard offset - second <= 16 else { throw HTTPParseError(.badVersion) }
                } else {
                    guard ByteClass.isTargetByte(byte) else { throw HTTPParseError(.badTarget) }
                    guard offset - first <= configuration.maxRequestTargetLength else {
                        throw HTTPParseError(.targetTooLong)
                    }
                }
            } else {
                guard ByteClass.isTChar(byte) else { throw HTTPParseError(.badMethod) }
                guard offset < configuration.maxMethodLength else { throw HTTPParseError(.methodTooLong) }
            }
            index += 1
        }
        guard let end = lineEnd else {
            scanOffset = index - start
            return false
        }
        guard let first = firstSpace, let second = secondSpace else { throw HTTPParseError(.badRequestLine) }
        version = try Self.parseVersion(buffer[(start + second + 1)..<end])
        method = Self.method(buffer[start..<(start + first)])
        try parseTarget(buffer[(start + first + 1)..<(start + second)])
        start = end + 2
        scanOffset = 0
        firstSpace = nil
        secondSpace = nil
        keepAlive = version == .http11
        state = .headers
        return true
    }

    /// HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3). Anything that
    /// looks like a version but is not 1.0 or 1.1 answers 505.
    static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        if bytes.elementsEqual("HTTP/1.1".utf8) { return .http11 }
        if bytes.elementsEqual("HTTP/1.0".utf8) { return .http10 }
        let prefix = "HTTP/".utf8
        guard bytes.count > prefix.count, bytes.starts(with: prefix) else { throw HTTPParseError(.badVersion) }
        let rest = bytes.dropFirst(prefix.count)
        let digitsAndDots = rest.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") }
        guard digitsAndDots, rest.first != UInt8(ascii: ".") else { throw HTTPParseError(.badVersion) }
        throw HTTPParseError(.unsupportedVersion)
    }

    static func method(_ bytes: ArraySlice<UInt8>) -> HTTPRequest.Method {
        if bytes.elementsEqual("GET".utf8) { return .get }
        if bytes.elementsEqual("POST".utf8) { return .post }
        if bytes.elementsEqual("HEAD".utf8) { return .head }
        // Validated as a token while scanning, so the initializer cannot fail.
        return HTTPRequest.Method(String(decoding: bytes, as: UTF8.self))!
    }

    /// request-target (RFC 9112 §3.2): origin-form, absolute-form (http/https), or "*" for
    /// OPTIONS. Authority-form is only for CONNECT, which this server does not implement.
    mutating func parseTarget(_ target: ArraySlice<UInt8>) throws(HTTPParseError) {
        if target.first == UInt8(ascii: "/") {
            path = String(decoding: target, as: UTF8.self)
            return
        }
        if target.elementsEqual("*".utf8) {
            guard method == .options else { throw HTTPParseError(.badTarget) }
            path = "*"
            return
        }
        let lowered = target.prefix(8).map(ByteClass.lowercased)
        let schemeLength: Int
        if lowered.starts(with: "http://".utf8) {
            scheme = "http"
            schemeLength = 7
        } else if lowered.starts(with: "https://".utf8) {
            scheme = "https"
            schemeLength = 8
        } else {
            throw HTTPParseError(.badTarget)
        }
        let afterScheme = target.dropFirst(schemeLength)
        let authorityEnd = afterScheme.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? afterScheme.endIndex
        let authority = afterScheme[afterScheme.startIndex..<authorityEnd]
        // userinfo in an http(s) URI is deprecated and a phishing aid (RFC 9110 §4.2.4).
        guard Self.isValidAuthority(authority) else { throw HTTPParseError(.badTarget) }
        targetAuthority = String(decoding: authority, as: UTF8.self)
        let rest = afterScheme[authorityEnd...]
        path = rest.first == UInt8(ascii: "/") ? String(decoding: rest, as: UTF8.self) : "/" + String(decoding: rest, as: UTF8.self)
    }

    /// uri-host [ ":" port ] with reg-name, IPv4 or bracketed IPv6 characters; no userinfo.
    static func isValidAuthority<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        guard !bytes.isEmpty else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "-._~%!$&'()*+,;=:[]".utf8.contains(byte)
            }
        }
    }
}
