public import HTTPTypes

/// The generic HTML error page: status and request id, nothing from the request or the error
/// (the log has the detail, keyed by the same request id).
public enum ErrorPage {
    public static func response(_ status: HTTPResponse.Status, requestID: String) -> WebResponse {
        var response = WebResponse.html(html(status, requestID: requestID), status: status)
        response.headerFields[.cacheControl] = "no-store"
        return response
    }

    static func html(_ status: HTTPResponse.Status, requestID: String) -> String {
        let reason = status.reasonPhrase.isEmpty ? "Error" : status.reasonPhrase
        // The id is server-made ([0-9a-f-]), so it needs no escaping; the reason is ours too.
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(status.code) \(reason)</title></head>
            <body><h1>\(status.code) \(reason)</h1><p>Request id: <code>\(requestID)</code></p></body></html>

            """
    }
}
