import Foundation
@testable import PIMAuth
import Testing

struct FlashCookieTests {
    let flash = FlashCookie(keys: .forTesting())
    let session = SessionID.generate()
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// The value a browser would send back from a `Set-Cookie` line.
    static func value(of setCookie: String) -> String {
        let pair = setCookie.split(separator: ";")[0]
        return String(pair[pair.index(after: pair.firstIndex(of: "=")!)...])
    }

    @Test func messagesRoundTripForTheirSessionOnly() {
        let hostile = "Role <b>\"x\"</b> & 'y' \\ ~.; = \u{1F510}\n\u{0}end ]}"
        let messages = [FlashMessage(.success, "Role activated."), FlashMessage(.error, hostile), FlashMessage(.info, "")]
        let setCookie = flash.setCookie(messages, for: session, now: now, secure: false)
        #expect(setCookie.hasPrefix("pim-flash="))
        #expect(setCookie.contains("; Path=/; HttpOnly; SameSite=Lax; Max-Age=600"))
        #expect(!setCookie.contains("Secure"))
        let value = Self.value(of: setCookie)
        // Only cookie-octets (RFC 6265 §4.1.1): no space, quote, comma, semicolon or backslash.
        #expect(value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !"\",;\\".utf8.contains($0) })
        #expect(flash.messages(in: value, for: session, now: now + 30) == messages)
        #expect(flash.messages(in: value, for: SessionID.generate(), now: now + 30) == [])
        #expect(FlashCookie(keys: .forTesting(master: Array(repeating: 9, count: 32)))
            .messages(in: value, for: session, now: now) == [])
    }

    @Test func overTLSTheCookieIsHostOnlyAndSecure() {
        let setCookie = flash.setCookie([FlashMessage(.info, "x")], for: session, now: now, secure: true)
        #expect(setCookie.hasPrefix("__Host-pim-flash="))
        #expect(setCookie.contains("; Secure"))
        #expect(FlashCookie.clearCookie(secure: true).hasPrefix("__Host-pim-flash=; "))
        #expect(FlashCookie.clearCookie(secure: false).hasSuffix("; Max-Age=0"))
        #expect(FlashCookie.value(fromCookieHeaders: ["pim=a; pim-flash=b"], secure: false) == "b")
        #expect(FlashCookie.value(fromCookieHeaders: ["pim-flash=b; pim-flash=c"], secure: false) == nil)
    }

    @Test func messagesExpire() {
        let value = Self.value(of: flash.setCookie([FlashMessage(.info, "x")], for: session, now: now, secure: false))
        #expect(flash.messages(in: value, for: session, now: now + 600) == [FlashMessage(.info, "x")])
        #expect(flash.messages(in: value, for: session, now: now + 601) == [])
        #expect(flash.messages(in: value, for: session, now: now - 61) == [])
    }

    @Test func onlyTheNewestMessagesThatFitAreKept() {
        let many = (1...12).map { FlashMessage(.warning, "\($0) activated") }
        let value = Self.value(of: flash.setCookie(many, for: session, now: now, secure: false))
        #expect(flash.messages(in: value, for: session, now: now) == Array(many.suffix(FlashCookie.maxMessages)))
        // Long texts are cut, and the oldest dropped until the cookie fits a browser's limit.
        let long = (1...8).map { FlashMessage(.success, "\($0) " + String(repeating: "\u{1F510}", count: 400)) }
        let setCookie = flash.setCookie(long, for: session, now: now, secure: true)
        #expect(setCookie.utf8.count < 4096)
        let kept = flash.messages(in: Self.value(of: setCookie), for: session, now: now)
        #expect(!kept.isEmpty && kept.count < 8)
        #expect(kept.last?.text.hasPrefix("8 \u{1F510}") == true)
        #expect(kept.allSatisfy { $0.text.count == FlashCookie.maxTextCharacters })
    }

    @Test(arguments: [
        "", ".", "..", "x.y.z", "1800000000..", "1800000000.x.sAA", "-1.x.sAA", "1800000000.x",
        String(repeating: "A", count: 5000), "1800000000.\u{0}.s", "1e9.x.sQQ",
    ])
    func malformedOrForgedValuesShowNothing(value: String) {
        #expect(flash.messages(in: value, for: session, now: now) == [])
        #expect(flash.messages(in: nil, for: session, now: now) == [])
    }

    @Test func tamperingWithAnyPartShowsNothing() throws {
        let value = Self.value(of: flash.setCookie([FlashMessage(.success, "Approved 1 request.")], for: session, now: now, secure: false))
        let parts = value.split(separator: ".", maxSplits: 2).map(String.init)
        let forged = [
            "\(Int(parts[0])! + 1).\(parts[1]).\(parts[2])",  // a later issue time
            "\(parts[0]).\(parts[1]).e" + parts[2].dropFirst(),  // another kind
            "\(parts[0]).\(parts[1]).\(parts[2])~sQQ",  // one more message
            "\(parts[0]).\(parts[1].dropLast())\(parts[1].last == "A" ? "B" : "A").\(parts[2])",  // another signature
        ]
        #expect(!forged.contains(value))
        for value in forged { #expect(flash.messages(in: value, for: session, now: now) == [], "\(value)") }
        // An item that is not a kind letter and base64url spoils the whole cookie.
        let unsigned = try #require(parts.first)
        #expect(flash.messages(in: "\(unsigned).\(parts[1]).x!!", for: session, now: now) == [])
    }
}
