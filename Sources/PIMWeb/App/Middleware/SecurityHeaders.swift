import HTTPTypes

/// The headers of DESIGN.md "Security model" on every response the portal makes.
enum SecurityHeaders {
    static let contentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

    static let contentSecurityPolicyName = HTTPField.Name("Content-Security-Policy")!
    static let contentTypeOptionsName = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicyName = HTTPField.Name("Referrer-Policy")!
    static let frameOptionsName = HTTPField.Name("X-Frame-Options")!

    /// Adds the headers; `noStore` for every page that shows data (all dynamic responses).
    static func apply(to response: inout PortalResponse, noStore: Bool = true) {
        apply(to: &response.headerFields, noStore: noStore)
    }

    static func apply(to fields: inout HTTPFields, noStore: Bool = true) {
        fields[contentSecurityPolicyName] = contentSecurityPolicy
        fields[contentTypeOptionsName] = "nosniff"
        fields[referrerPolicyName] = "same-origin"
        // Older browsers ignore CSP frame-ancestors; X-Frame-Options covers them.
        fields[frameOptionsName] = "DENY"
        if noStore { fields[.cacheControl] = "no-store" }
    }
}
