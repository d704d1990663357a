import HTTPTypes

/// What a handler answers: status, header fields, body bytes.
struct PortalResponse: Sendable {
    var status: HTTPResponse.Status
    var headerFields: HTTPFields
    var body: [UInt8]
    /// A body produced while it is sent (the CSV downloads): called once with a writer that
    /// suspends while the client is slow and throws when it has gone away; `body` stays empty.
    /// The server bridge sends it as `ResponseBody.stream` (chunked coding).
    var stream: (@Sendable (_ write: @Sendable ([UInt8]) async throws -> Void) async throws -> Void)?

    init(status: HTTPResponse.Status, headerFields: HTTPFields = HTTPFields(), body: [UInt8] = [],
         stream: (@Sendable (_ write: @Sendable ([UInt8]) async throws -> Void) async throws -> Void)? = nil) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
        self.stream = stream
    }

    /// An HTML page (`text/html; charset=utf-8`).
    static func html(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> PortalResponse {
        var fields = HTTPFields()
        fields[.contentType] = "text/html; charset=utf-8"
        return PortalResponse(status: status, headerFields: fields, body: bytes)
    }

    /// `303 See Other` to `location` (post/redirect/get: the browser GETs the result page).
    static func seeOther(_ location: String) -> PortalResponse {
        var fields = HTTPFields()
        fields[.location] = location
        return PortalResponse(status: .seeOther, headerFields: fields)
    }

    /// Plain text (health checks, tiny errors before any template is available).
    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> PortalResponse {
        var fields = HTTPFields()
        fields[.contentType] = "text/plain; charset=utf-8"
        return PortalResponse(status: status, headerFields: fields, body: Array(text.utf8))
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Adds a `Set-Cookie` line (several may be present).
    mutating func addCookie(_ setCookie: String) {
        headerFields.append(HTTPField(name: .setCookie, value: setCookie))
    }
}
