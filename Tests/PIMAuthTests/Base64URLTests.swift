import Foundation
import Testing
@testable import PIMAuth

/// Base64URL (swift-extras-base64) must give exactly what the Foundation-based one gave: session
/// cookies and CSRF tokens issued before an upgrade keep working.
struct Base64URLTests {
    static func referenceEncode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func referenceDecode(_ text: String) -> [UInt8]? {
        let allowed = text.utf8.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2D || byte == 0x5F
        }
        guard allowed, text.utf8.count % 4 != 1 else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        return Data(base64Encoded: standard).map { Array($0) }
    }

    @Test func encodingMatchesFoundationForEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...70 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let text = Base64URL.encode(bytes)
                #expect(text == Self.referenceEncode(bytes))
                #expect(Base64URL.decode(text) == bytes)
            }
        }
        #expect(Base64URL.encode([0xFB, 0xFF, 0xBF]) == "-_-_")
    }

    @Test func decodingAcceptsAndRefusesWhatFoundationDid() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= .\u{0}é")
        for length in 0...46 {
            for _ in 0..<30 {
                let text = String((0..<length).map { _ in alphabet.randomElement()! })
                #expect(Base64URL.decode(text) == Self.referenceDecode(text), "\(text)")
            }
        }
        for text in ["", "A", "AB", "AB=", "QR", "QRS", "QRST", "Q-_", "a b", "AAAA=", "+/+/"] {
            #expect(Base64URL.decode(text) == Self.referenceDecode(text), "\(text)")
        }
    }

    @Test func sessionTokensRoundTrip() {
        for _ in 0..<50 {
            let id = SessionID.generate()
            #expect(SessionID(token: id.token) == id)
            #expect(id.token.utf8.count == 43)
        }
    }
}
