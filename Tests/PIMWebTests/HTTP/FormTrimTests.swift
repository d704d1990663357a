import Foundation
import Testing
@testable import PIMWeb

/// `FormData.trimmed` trims ASCII on bytes; it must agree with Foundation's trim.
struct FormTrimTests {
    @Test func trimmedMatchesFoundation() {
        let pieces = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "a", "b c", "\u{00A0}", "\u{2028}", "é", "\u{85}"]
        for _ in 0..<3000 {
            let value = (0..<Int.random(in: 0...6)).map { _ in pieces.randomElement()! }.joined()
            let form = FormData([("f", value)])
            #expect(form.trimmed("f") == value.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(value.unicodeScalars))")
        }
        #expect(FormData().trimmed("missing") == "")
    }
}
