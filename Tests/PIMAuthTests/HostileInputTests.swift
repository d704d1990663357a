import Foundation
@testable import PIMAuth
import Testing

/// Deterministic mixes of awkward scalars thrown at every parser that sees browser input: none may crash or
/// accept what it should not.
struct HostileInputTests {
    func randomStrings(count: Int, seed: UInt64) -> [String] {
        let pool: [Unicode.Scalar] = ["0", "9", "A", "z", "-", "_", ".", "=", ";", " ", "\u{0}", "\n", "é", "٣", "３", "\u{202E}", "🔑", "%"]
        // Index arithmetic with co-prime steps instead of a random generator: reproducible, and
        // it walks lengths 0…80 and every scalar at every position.
        return (0..<count).map { index in
            let i = index + Int(seed) * 7_919
            let length = (i * 37) % 81
            var scalars = String.UnicodeScalarView()
            for j in 0..<length { scalars.append(pool[(i * 31 + j * 17 + (i * j) % 13) % pool.count]) }
            return String(scalars)
        }
    }

    @Test func totpCodeParserAcceptsOnlySixAsciiDigits() {
        for input in randomStrings(count: 5_000, seed: 1) {
            if let code = TOTPCode(input) {
                #expect(code.digits.utf8.count == 6 && code.digits.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 })
                #expect(input.unicodeScalars.allSatisfy { $0 == " " || ("0"..."9").contains($0) })
            }
        }
    }

    @Test func sessionIDParserAcceptsOnlyCanonicalTokens() {
        for input in randomStrings(count: 5_000, seed: 2) {
            if let id = SessionID(token: input) { #expect(id.token == input) }
        }
    }

    @Test func cookieAndLoginTokenParsersNeverAcceptGarbage() {
        let login = LoginCSRF(keys: .forTesting())
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for input in randomStrings(count: 3_000, seed: 3) {
            _ = SessionCookie.value(fromCookieHeaders: [input], secure: false)
            #expect(!login.isValid(cookie: input, field: input, now: now))
            _ = OriginCheck(expectedOrigin: nil).allows(origin: input, host: input, secure: false)
            _ = Base64URL.decode(input)
            _ = Base32.decode(input)
        }
    }
}
