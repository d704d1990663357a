import HTTPTypes

/// Writes a response head (RFC 9112 §4, §6). The server owns the framing fields, so any
/// Content-Length, Transfer-Encoding, Connection, Date or Server a handler set is replaced.
enum ResponseEncoder {
    enum Framing {
        case length(Int)
        case chunked
        /// Body delimited by closing the connection (streams to HTTP/1.0 clients).
        case close
        /// 1xx, 204, 304: no body and no length (RFC 9110 §8.6).
        case none
    }

    static let owned: Set<HTTPField.Name> = [.contentLength, .transferEncoding, .connection, .date, .server]

    static func encodeHead(_ head: HTTPResponse, framing: Framing, keepAlive: Bool, version: HTTPVersion,
                           date: [UInt8], into out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(head.status.code, to: &out)
        out.append(32)
        out.append(contentsOf: head.status.reasonPhrase.utf8)
        out.append(contentsOf: "\r\nServer: pim\r\nDate: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\n".utf8)
        for field in head.headerFields where !owned.contains(field.name) {
            out.append(contentsOf: field.name.rawName.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        switch framing {
        case .length(let length):
            out.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(length, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        case .chunked:
            out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        case .close, .none:
            break
        }
        if !keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if version == .http10 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(48 + value))
            return
        }
        var digits: [UInt8] = []
        var rest = value
        while rest > 0 {
            digits.append(UInt8(48 + rest % 10))
            rest /= 10
        }
        out.append(contentsOf: digits.reversed())
    }

    /// chunk = chunk-size CRLF chunk-data CRLF (RFC 9112 §7.1).
    static func appendChunk(_ bytes: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: String(bytes.count, radix: 16).utf8)
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: bytes)
        out.append(contentsOf: "\r\n".utf8)
    }

    static let lastChunk = Array("0\r\n\r\n".utf8)
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
}
