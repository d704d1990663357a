import HTTPTypes

/// Incremental, strict HTTP/1.1 request parser (RFC 9112). Pure: no I/O, no clock.
///
/// Feed bytes as they arrive with ``feed(_:)`` and call ``next()`` until it answers
/// ``Event/needMoreData``. Limits from ``HTTPConfiguration`` are enforced on buffered bytes, so
/// the parser never holds more than a limit's worth of an unfinished element. After a failure
/// the parser stays failed: the connection must be answered and closed.
public struct RequestParser {
    public enum Event {
        /// Nothing more can be decided until more bytes arrive.
        case needMoreData
        /// The head asked for `Expect: 100-continue` and no body byte has arrived yet: the
        /// server should send `100 Continue` (RFC 9110 §10.1.1) and keep feeding.
        case continueExpected
        case request(ParsedRequest)
        case failure(HTTPParseError)
    }

    enum State {
        case requestLine, headers, fixedBody(remaining: Int)
        case chunkSize, chunkData(remaining: Int), chunkDataEnd, trailers, complete
        case failed(HTTPParseError)
    }

    let configuration: HTTPConfiguration
    var state: State = .requestLine
    var buffer: [UInt8] = []
    /// Index of the first unconsumed byte in `buffer`.
    var start = 0
    /// How far past `start` the current line has been scanned without finding its end.
    var scanOffset = 0
    /// Request-line scan: offsets from `start` of the first and second space.
    var firstSpace: Int?
    var secondSpace: Int?
    var emptyLinesSkipped = 0

    // The request being assembled.
    var method: HTTPRequest.Method = .get
    var scheme: String?
    var targetAuthority: String?
    var path = ""
    var version: HTTPVersion = .http11
    var fields = HTTPFields()
    var sectionBytes = 0
    var sectionFields = 0
    var body: [UInt8] = []
    var keepAlive = true
    var continuePending = false

    public init(configuration: HTTPConfiguration = HTTPConfiguration()) {
        self.configuration = configuration
    }

    /// Appends received bytes.
    public mutating func feed<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 4096 && start * 2 > buffer.count {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// True while part of a request has arrived but not all of it (for timeouts).
    public var hasPartialRequest: Bool {
        if case .requestLine = state { return start < buffer.count }
        return true
    }

    /// Bytes received and not yet consumed.
    public var bufferedCount: Int { buffer.count - start }

    /// True while the head is complete and body bytes are awaited.
    public var isReadingBody: Bool {
        switch state {
        case .fixedBody, .chunkSize, .chunkData, .chunkDataEnd, .trailers: true
        default: false
        }
    }

    /// Decides what the buffered bytes amount to.
    public mutating func next() -> Event {
        if case .failed(let error) = state { return .failure(error) }
        do throws(HTTPParseError) {
            while true {
                switch state {
                case .requestLine:
                    guard try parseRequestLine() else { return .needMoreData }
                case .headers:
                    guard try parseFieldLine(trailer: false) else { return .needMoreData }
                    if continuePending {
                        continuePending = false
                        if start == buffer.count { return .continueExpected }
                    }
                case .fixedBody(let remaining):
                    let count = min(remaining, buffer.count - start)
                    body.append(contentsOf: buffer[start..<(start + count)])
                    start += count
                    if count == remaining {
                        state = .complete
                    } else {
                        state = .fixedBody(remaining: remaining - count)
                        return .needMoreData
                    }
                case .chunkSize:
                    guard try parseChunkSizeLine() else { return .needMoreData }
                case .chunkData(let remaining):
                    let count = min(remaining, buffer.count - start)
                    body.append(contentsOf: buffer[start..<(start + count)])
                    start += count
                    if count == remaining {
                        state = .chunkDataEnd
                    } else {
                        state = .chunkData(remaining: remaining - count)
                        return .needMoreData
                    }
                case .chunkDataEnd:
                    guard buffer.count - start >= 2 else {
                        if buffer.count > start && buffer[start] != ByteClass.cr {
                            throw HTTPParseError(.badChunkTerminator)
                        }
                        return .needMoreData
                    }
                    guard buffer[start] == ByteClass.cr, buffer[start + 1] == ByteClass.lf else {
                        throw HTTPParseError(.badChunkTerminator)
                    }
                    start += 2
                    state = .chunkSize
                case .trailers:
                    guard try parseFieldLine(trailer: true) else { return .needMoreData }
                case .complete:
                    return .request(finishRequest())
                case .failed(let error):
                    return .failure(error)
                }
            }
        } catch {
            state = .failed(error)
            return .failure(error)
        }
    }

    /// Finds the CR of the CRLF ending the line that starts at `start`, continuing an earlier
    /// scan. A CR not followed by LF, or an LF alone, is an error (RFC 9112 §2.2 lets a server
    /// reject them; accepting them is how request smuggling between parsers begins).
    /// A line longer than `limit` bytes before its CRLF fails with `overLimit` at the byte that
    /// passes the limit, so the outcome does not depend on how the bytes were split.
    mutating func findLineEnd(limit: Int, overLimit: HTTPParseError.Kind) throws(HTTPParseError) -> Int? {
        var index = start + scanOffset
        while index < buffer.count {
            let byte = buffer[index]
            if byte != ByteClass.cr && index - start >= limit { throw HTTPParseError(overLimit) }
            if byte == ByteClass.cr {
                guard index + 1 < buffer.count else { break }
                guard buffer[index + 1] == ByteClass.lf else { throw HTTPParseError(.bareCR) }
                scanOffset = 0
                return index
            }
            if byte == ByteClass.lf { throw HTTPParseError(.bareLF) }
            index += 1
        }
        scanOffset = index - start
        return nil
    }

    mutating func finishRequest() -> ParsedRequest {
        let head = HTTPRequest(method: method, scheme: scheme, authority: targetAuthority, path: path, headerFields: fields)
        let request = ParsedRequest(head: head, version: version, body: body, keepAlive: keepAlive)
        state = .requestLine
        fields = HTTPFields()
        body = []
        scheme = nil
        targetAuthority = nil
        sectionBytes = 0
        sectionFields = 0
        emptyLinesSkipped = 0
        return request
    }
}
