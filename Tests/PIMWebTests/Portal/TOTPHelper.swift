import Foundation
@testable import PIMAuth
@testable import PIMWeb

/// Authenticator-app arithmetic for tests: the secret as the page shows it (groups of four)
/// and the code liboath computes for it at the portal's clock.
struct TestAuthenticator {
    let secret: [UInt8]

    init?(shownSecret: String) {
        guard let bytes = Base32.decode(shownSecret.replacingOccurrences(of: " ", with: "")) else { return nil }
        secret = bytes
    }

    func code(at date: Date) throws -> String { try OATH.generate(secret: secret, at: date) }
}

extension TestPortal {
    /// Enrols `user` through PIMAuth (as Security info does) and returns their authenticator.
    func enrolTOTP(_ user: String) throws -> TestAuthenticator {
        let enrolment = try environment.totp.beginEnrolment(user: user, freshProofAt: nil)
        let app = TestAuthenticator(shownSecret: enrolment.secretGroups)!
        _ = try environment.totp.confirmEnrolment(user: user, code: try app.code(at: clock.now()), sourceAddress: nil)
        // The enrolment code's time-step is used up; the next code comes from the next step.
        clock.advance(by: 30)
        return app
    }
}

/// The secret shown on the Security info page, read from its HTML.
func shownSecret(in html: String) -> String? {
    guard let start = html.range(of: "<p class=\"secret\" id=\"secret\">"),
          let end = html.range(of: "</p>", range: start.upperBound..<html.endIndex) else { return nil }
    return String(html[start.upperBound..<end.lowerBound])
}
