public import HTTPTypes

/// A response as handlers build it. The server adds Date, Server, Content-Length (or chunked
/// coding) and Connection; handlers set everything else.
public struct WebResponse: Sendable {
    public var head: HTTPResponse
    public var body: ResponseBody

    public init(status: HTTPResponse.Status = .ok, headerFields: HTTPFields = [:], body: ResponseBody = .bytes([])) {
        self.head = HTTPResponse(status: status, headerFields: headerFields)
        self.body = body
    }

    public var status: HTTPResponse.Status {
        get { head.status }
        set { head.status = newValue }
    }

    public var headerFields: HTTPFields {
        get { head.headerFields }
        set { head.headerFields = newValue }
    }

    /// Plain text in UTF-8.
    public static func text(_ text: String, status: HTTPResponse.Status = .ok) -> WebResponse {
        WebResponse(status: status, headerFields: [.contentType: "text/plain; charset=utf-8"], body: .bytes(Array(text.utf8)))
    }

    /// An HTML page in UTF-8.
    public static func html(_ html: String, status: HTTPResponse.Status = .ok) -> WebResponse {
        WebResponse(status: status, headerFields: [.contentType: "text/html; charset=utf-8"], body: .bytes(Array(html.utf8)))
    }

    /// A redirect; 303 See Other by default, the answer to a POST that changed state.
    public static func redirect(to location: String, status: HTTPResponse.Status = .seeOther) -> WebResponse {
        WebResponse(status: status, headerFields: [.location: location])
    }
}

/// The body of a response: bytes known up front, or a stream written piece by piece.
public enum ResponseBody: Sendable {
    case bytes([UInt8])
    /// A body produced while it is sent, with chunked coding (or close-delimited for HTTP/1.0
    /// clients). `write` suspends while the client is slow, so a producer never buffers more
    /// than a few hundred KiB.
    case stream(@Sendable (BodyWriter) async throws -> Void)
}

/// Writes pieces of a streamed body; obtained from ``ResponseBody/stream(_:)``.
public struct BodyWriter: Sendable {
    let sink: @Sendable ([UInt8]) async throws -> Void

    public init(sink: @escaping @Sendable ([UInt8]) async throws -> Void) {
        self.sink = sink
    }

    /// Sends `bytes`, waiting while the connection's send buffer is full. Throws when the
    /// client has gone away; the producer should then stop.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try await sink(bytes)
    }

    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }
}

/// Whatever answers requests: the frozen router, or a test double.
public protocol HTTPResponder: Sendable {
    /// Never throws: errors become error pages before they reach the server.
    func respond(to request: WebRequest) async -> WebResponse
}

/// An error that knows its HTTP status. Anything else thrown by a handler becomes a 500.
public protocol HTTPStatusError: Error {
    var status: HTTPResponse.Status { get }
}
