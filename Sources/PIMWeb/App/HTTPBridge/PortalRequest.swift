import Foundation
import HTTPTypes

/// A request as the portal's pipeline sees it: the swift-http-types head, the body bytes, the
/// peer address and the request id (the http server's contract), plus the route's path
/// parameters once the route table matched.
struct PortalRequest: Sendable {
    let head: HTTPRequest
    /// `head.path`, read once (swift-http-types builds it anew at every read).
    private let target: String
    let body: [UInt8]
    var remoteAddress: String?
    var requestID: String
    /// Whether the request came over TLS (directly or from a trusted proxy): cookie names/flags.
    var isSecure: Bool
    /// `:name` segments of the matched route pattern.
    var parameters: [String: String] = [:]

    /// `target`: `head.path` when the caller has already read it (see `WebRequest.target`).
    init(head: HTTPRequest, target: String? = nil, body: [UInt8] = [], remoteAddress: String? = nil,
                requestID: String = UUID().uuidString, isSecure: Bool = false) {
        self.head = head
        self.target = target ?? head.path ?? "/"
        self.body = body
        self.remoteAddress = remoteAddress
        self.requestID = requestID
        self.isSecure = isSecure
        // Parsed once: the CSRF check, a route's preload and the handler all read them.
        query = Self.parseQuery(self.target)
        form = Self.parseForm(head, body)
    }

    /// The path without the query.
    var path: String {
        target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
    }

    /// The query string's fields (`?tab=active&role=1&role=2`).
    let query: FormData

    /// The body's fields when it is `application/x-www-form-urlencoded`; empty otherwise.
    let form: FormData

    private static func parseQuery(_ full: String) -> FormData {
        guard let mark = full.utf8.firstIndex(of: UInt8(ascii: "?")) else { return FormData() }
        return FormData(urlEncoded: String(full[full.index(after: mark)...]))
    }

    private static func parseForm(_ head: HTTPRequest, _ body: [UInt8]) -> FormData {
        guard !body.isEmpty, let type = head.headerFields[.contentType],
              type.lowercased().hasPrefix("application/x-www-form-urlencoded") else { return FormData() }
        return FormData(urlEncodedBytes: body)
    }

    /// Every `Cookie` header line (RFC 6265 §5.4 allows a client to split them).
    var cookieHeaders: [String] { head.headerFields[values: .cookie] }

    /// The path plus query, for `?next=` after sign-in.
    var pathAndQuery: String { target }
}
