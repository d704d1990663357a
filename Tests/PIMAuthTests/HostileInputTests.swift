import Foundation
@testable import PIMAuth
import Testing

/// Deterministic pseudo-random generator (SplitMix64) so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random bytes and scalars thrown at every parser that sees browser input: none may crash or
/// accept what it should not.
struct HostileInputTests {
    func randomStrings(count: Int, seed: UInt64) -> [String] {
        var rng = SeededGenerator(state: seed)
        let pool: [Unicode.Scalar] = ["0", "9", "A", "z", "-", "_", ".", "=", ";", " ", "\u{0}", "\n", "é", "٣", "３", "\u{202E}", "🔑", "%"]
        return (0..<count).map { _ in
            let length = Int.random(in: 0...80, using: &rng)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<length { scalars.append(pool.randomElement(using: &rng)!) }
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
