public import HTTPTypes

/// The two HTTP versions this server speaks (RFC 9112 §2.3).
public enum HTTPVersion: Sendable, Equatable {
    case http10, http11
}

/// One complete request as read off the wire: head, whole body, and framing facts.
public struct ParsedRequest: Sendable {
    public var head: HTTPRequest
    public var version: HTTPVersion
    public var body: [UInt8]
    /// Whether the connection may carry another request after this one (RFC 9112 §9.3):
    /// HTTP/1.1 unless `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool
}
