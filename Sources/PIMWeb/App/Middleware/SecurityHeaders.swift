import HTTPTypes

/// The headers of DESIGN.md "Security model" on every response the portal makes.
enum SecurityHeaders {
    static let contentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

    /// Adds the headers; `noStore` for every page that shows data (all dynamic responses).
    static func apply(to response: inout PortalResponse, noStore: Bool = true) {
        response.headerFields[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy
        response.headerFields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headerFields[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        // Older browsers ignore CSP frame-ancestors; X-Frame-Options covers them.
        response.headerFields[HTTPField.Name("X-Frame-Options")!] = "DENY"
        if noStore { response.headerFields[.cacheControl] = "no-store" }
    }
}
