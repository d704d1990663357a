import Foundation
import Testing
@testable import PIMAuth

/// The byte-level cookie reader must find exactly what the Foundation-based one found.
struct CookieHeaderTests {
    static func reference(named wanted: String, in headers: [String]) -> String? {
        var found: [String] = []
        for header in headers where header.utf8.count <= CookieHeader.maxHeaderBytes {
            for pair in header.split(separator: ";") {
                let trimmed = pair.trimmingCharacters(in: .whitespaces)
                guard let equals = trimmed.firstIndex(of: "=") else { continue }
                if trimmed[..<equals] == wanted { found.append(String(trimmed[trimmed.index(after: equals)...])) }
            }
        }
        return found.count == 1 ? found[0] : nil
    }

    @Test func findsWhatTheFoundationReaderFound() {
        let pieces = ["pim", "__Host-pim", "=", ";", "; ", " ", "\t", "abc", "x=1", "pim=", "pim=v", " pim = v ",
                      "\u{00A0}", "é", "p\u{0301}", "==", ";;"]
        for _ in 0..<3000 {
            let headers = (0..<Int.random(in: 1...2)).map { _ in
                (0..<Int.random(in: 0...7)).map { _ in pieces.randomElement()! }.joined()
            }
            for name in ["pim", "__Host-pim"] {
                #expect(CookieHeader.value(named: name, in: headers) == Self.reference(named: name, in: headers), "\(headers)")
            }
        }
        #expect(CookieHeader.value(named: "pim", in: ["a=b; pim=tok; c=d"]) == "tok")
        #expect(CookieHeader.value(named: "pim", in: ["pim=1", "pim=2"]) == nil)
        #expect(CookieHeader.value(named: "pim", in: ["\tpim=x y \t"]) == "x y")
    }
}

/// The GECOS display name is trimmed on bytes when ASCII; the result must not change.
struct DisplayNameTrimTests {
    @Test func displayNameMatchesTheFoundationTrim() {
        let pieces = [" ", "\t", "\n", "Ada", "Lovelace", ",", "\u{00A0}", "é", ""]
        for _ in 0..<2000 {
            let gecos = (0..<Int.random(in: 0...6)).map { _ in pieces.randomElement()! }.joined()
            let field = gecos.split(separator: ",", omittingEmptySubsequences: false).first ?? ""
            let full = field.trimmingCharacters(in: .whitespaces)
            let expected = full.isEmpty ? "x" : full
            #expect(NSSLookup.Passwd(name: "x", uid: 1, gid: 1, gecos: gecos).displayName == expected, "\(gecos)")
        }
    }
}
