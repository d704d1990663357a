public import HTTPTypes

/// A request as handlers see it: the swift-http-types head, the whole body, who sent it, and
/// the request id that also appears in the access log and on error pages.
public struct WebRequest: Sendable {
    public var head: HTTPRequest { didSet { target = head.path ?? "/" } }
    /// The request target (path and query): `head.path`, read once. swift-http-types builds
    /// it anew from its fields at every read (7K instructions), and the router, the portal and
    /// the access log each ask.
    public private(set) var target: String
    public var body: [UInt8]
    public var version: HTTPVersion
    /// Address of the TCP peer (the proxy, when there is one).
    public var remoteAddress: String
    /// Address of the client: the peer, or the X-Forwarded-For entry a trusted proxy vouches for.
    public var clientAddress: String
    /// "https" when a trusted proxy says so with X-Forwarded-Proto, else "http".
    public var clientScheme: String
    public var id: String
    /// Values of the route's `:name` segments, percent-decoded; filled by the router.
    public var parameters: [String: String] = [:]
    /// Bounds for ``queryFields()`` and ``formFields()``, from the server's configuration.
    public var formLimits = FormLimits()

    public init(head: HTTPRequest, body: [UInt8] = [], version: HTTPVersion = .http11, remoteAddress: String = "127.0.0.1",
                clientAddress: String? = nil, clientScheme: String = "http", id: String = "test") {
        self.head = head
        self.target = head.path ?? "/"
        self.body = body
        self.version = version
        self.remoteAddress = remoteAddress
        self.clientAddress = clientAddress ?? remoteAddress
        self.clientScheme = clientScheme
        self.id = id
    }

    public var method: HTTPRequest.Method { head.method }

    /// The path of the target without the query, still percent-encoded.
    public var path: Substring {
        target.firstIndex(of: "?").map { target[..<$0] } ?? target[...]
    }

    /// The raw query after "?", or nil.
    public var rawQuery: Substring? {
        target.firstIndex(of: "?").map { target[target.index(after: $0)...] }
    }
}
