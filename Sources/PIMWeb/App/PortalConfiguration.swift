import Foundation

/// What the portal needs to know about its deployment. Filled by `pim serve` from its options;
/// tests build it directly. Never read from a global.
struct PortalConfiguration: Sendable {
    /// Shown in the header and the page title.
    var productName: String = "PIM"
    /// The zone every time is shown in and named by (an IANA name such as `Europe/Berlin`).
    /// Default UTC. Unknown names fall back to UTC.
    var timeZoneIdentifier: String = "UTC"

    var timeZone: TimeZone { TimeZone(identifier: timeZoneIdentifier) ?? TimeZone(identifier: "UTC")! }
    /// Demo mode: pam_wrapper accounts, seeded roles, a plain "Demo" marker on every page.
    var demoMode: Bool = false
    /// The public origin behind the proxy (`https://pim.example.org`), for the Origin check;
    /// nil: the request's Host stands in.
    var publicOrigin: String?
    /// Paths of the stylesheet and script (fingerprinted names when the static helper gives them).
    var stylesheetPath: String = "/static/app.css"
    var scriptPath: String = "/static/app.js"
    /// Issuer shown in authenticator apps next to the account name.
    var totpIssuer: String = "PIM"

    init() {}
}
