import Foundation
@testable import PIMMail
@testable import PIMCore
import Testing

struct MIMETests {
    static func message(
        fromName: String = "PIM", toName: String? = "Ada Lovelace", subject: String = "PIM: Ada activated the role DBA",
        text: String = "Hello\n", html: String = "<p>Hello</p>"
    ) throws -> MailMessage {
        MailMessage(fromName: fromName, from: try EmailAddress("pim@example.org"), toName: toName,
                    to: try EmailAddress("ada@example.org"), subject: subject,
                    date: Date(timeIntervalSince1970: 1_800_000_000), messageID: "<0F0E-1@pim>", text: text, html: html)
    }

    static func headerBlock(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
    }

    /// Header names in order, after unfolding.
    static func headerNames(_ bytes: [UInt8]) -> [String] {
        headerBlock(bytes).replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
            .map { String($0.prefix { $0 != ":" }) }
    }

    @Test func messageHasTheRequiredHeadersAndTwoUTF8Parts() throws {
        let bytes = try Self.message().serialized()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(Self.headerNames(bytes) == ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version",
                                            "Auto-Submitted", "X-Auto-Response-Suppress", "Content-Type"])
        #expect(text.contains("Date: Fri, 15 Jan 2027 08:00:00 +0000\r\n"))
        #expect(text.contains("From: PIM <pim@example.org>\r\n"))
        #expect(text.contains("To: Ada Lovelace <ada@example.org>\r\n"))
        #expect(text.contains("Subject: PIM: Ada activated the role DBA\r\n"))
        #expect(text.contains("Message-ID: <0F0E-1@pim>\r\n"))
        #expect(text.contains("Auto-Submitted: auto-generated\r\n"))
        #expect(text.contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"))
        #expect(text.contains("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"))
        #expect(!text.contains("\n") || !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "bare LF")
    }

    @Test func serialisationIsDeterministicSoRepeatsAreIdentical() throws {
        #expect(try Self.message().serialized() == Self.message().serialized())
    }

    @Test(arguments: [
        "Eve\r\nBcc: victim@example.org",
        "Eve\nBcc: victim@example.org",
        "Eve\rBcc: victim@example.org",
        "Eve\u{2028}Bcc: victim@example.org",
        "Eve\u{85}Bcc: victim@example.org",
        "Eve\0\r\n\r\n<script>",
    ])
    func controlCharactersInNamesAndSubjectsCannotInjectHeaders(_ hostile: String) throws {
        let bytes = try Self.message(fromName: hostile, toName: hostile, subject: "PIM: " + hostile).serialized()
        let names = Self.headerNames(bytes)
        #expect(!names.contains { $0.caseInsensitiveCompare("Bcc") == .orderedSame })
        #expect(names.count == 9)
        let head = Self.headerBlock(bytes)
        for line in head.components(separatedBy: "\r\n") {
            #expect(!line.contains("\r") && !line.contains("\n") && !line.contains("\0"))
            #expect(line.utf8.count <= 78)
        }
    }

    @Test func justificationWithCRLFStaysInsideTheBody() throws {
        let bytes = try Self.message(text: "Justification: x\r\n\r\n--=_pim_x\r\nBcc: a@b.c\r\n.\r\n").serialized()
        #expect(Self.headerNames(bytes).count == 9)
        let body = String(decoding: bytes, as: UTF8.self)
        // The body's own boundary-like line cannot match the real boundary ("=" is encoded).
        #expect(body.contains("--=3D_pim_x"))
    }

    @Test func nonASCIIDisplayNamesBecomeRFC2047EncodedWords() throws {
        let bytes = try Self.message(fromName: "PIM Überwachung", toName: "Jürgen Müller-Łukasiewicz 山田太郎").serialized()
        let head = Self.headerBlock(bytes).replacingOccurrences(of: "\r\n ", with: " ")
        let to = head.components(separatedBy: "\r\n").first { $0.hasPrefix("To:") }!
        #expect(to.hasPrefix("To: =?UTF-8?B?"))
        #expect(to.hasSuffix(" <ada@example.org>"))
        #expect(Self.decodeEncodedWords(String(to.dropFirst(4).dropLast(18))) == "Jürgen Müller-Łukasiewicz 山田太郎")
        let from = head.components(separatedBy: "\r\n").first { $0.hasPrefix("From:") }!
        #expect(Self.decodeEncodedWords(String(from.dropFirst(6).dropLast(18))) == "PIM Überwachung")
        for line in Self.headerBlock(bytes).components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78) }
    }

    @Test func nonASCIISubjectKeepsThePIMPrefixReadable() throws {
        let subject = "PIM: Jürgen activated the role Datenbank-Administrator für Süd"
        let bytes = try Self.message(subject: subject).serialized()
        let head = Self.headerBlock(bytes).replacingOccurrences(of: "\r\n ", with: " ")
        let line = head.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject:") }!
        #expect(line.hasPrefix("Subject: PIM: "))
        #expect(Self.decodeUnstructured(String(line.dropFirst(9))) == subject)
    }

    @Test func asciiNamesWithSpecialsAreQuoted() throws {
        let bytes = try Self.message(toName: "Doe, John \"JD\" \\ admin").serialized()
        #expect(String(decoding: bytes, as: UTF8.self).contains(#"To: "Doe, John \"JD\" \\ admin" <ada@example.org>"#))
    }

    @Test func wordsThatLookEncodedAreEncodedThemselves() throws {
        let tokens = HeaderEncoding.unstructured("PIM: =?UTF-8?B?QUJD?= x")
        #expect(tokens[0] == "PIM:")
        #expect(tokens[1].hasPrefix("=?UTF-8?B?") && tokens[1] != "=?UTF-8?B?QUJD?=")
        #expect(Self.decodeUnstructured(tokens.joined(separator: " ")) == "PIM: =?UTF-8?B?QUJD?= x")
    }

    @Test func encodedWordsNeverSplitACharacterAndStayWithin75() {
        let text = String(repeating: "€😀ä", count: 40)
        let words = HeaderEncoding.encodedWords(text)
        #expect(words.allSatisfy { $0.utf8.count <= 75 })
        #expect(Self.decodeEncodedWords(words.joined(separator: " ")) == text)
    }

    @Test(arguments: ["a@b.c", "first.last+tag@mail.example.org", "x@[192.0.2.1]", "o'neil@example.org"])
    func validAddressesAreAccepted(_ text: String) throws {
        #expect(try EmailAddress(text).value == text)
    }

    @Test(arguments: ["", "plain", "@example.org", "a@", "a@b@c", "a b@example.org", "a@exa mple.org",
                      "a\r\n@example.org", "a@example.org\r\nRCPT TO:<x@y>", "\"quoted\"@example.org",
                      "a..b@example.org", ".a@example.org", "a@-example.org", "jürgen@example.org",
                      "a@example..org", "<a@example.org>", "a@example.org>", String(repeating: "a", count: 65) + "@example.org"])
    func invalidAddressesAreRefused(_ text: String) {
        #expect(throws: MailError.self) { try EmailAddress(text) }
    }

    @Test(arguments: ["no-brackets@pim", "<a\r\nb@pim>", "<a@b@pim>", "<>", "<a b@pim>"])
    func invalidMessageIDsAreRefused(_ id: String) throws {
        var message = try Self.message()
        message.messageID = id
        #expect(throws: MailError.self) { try message.serialized() }
    }

    @Test func quotedPrintableKeepsLinesShortAndRoundTrips() {
        let text = "Grüße, " + String(repeating: "long line with = and tabs\t", count: 10) + " \nnext line ends with space \n."
        let encoded = QuotedPrintable.encode(text)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76)
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"))
        }
        #expect(!encoded.contains("=_"))
        #expect(Self.decodeQuotedPrintable(encoded) == text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    // MARK: - Independent decoders (RFC 2047 §6, RFC 2045 §6.7) to check the encoders.

    static func decodeEncodedWords(_ text: String) -> String {
        var bytes: [UInt8] = []
        for word in text.split(separator: " ") {
            precondition(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            bytes += Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Adjacent encoded-words join without the space between them (RFC 2047 §6.2).
    static func decodeUnstructured(_ text: String) -> String {
        var output = ""
        var previousEncoded = false
        for (index, word) in text.split(separator: " ").enumerated() {
            let encoded = word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?=")
            if index > 0 && !(encoded && previousEncoded) { output += " " }
            output += encoded ? decodeEncodedWords(String(word)) : String(word)
            previousEncoded = encoded
        }
        return output
    }

    static func decodeQuotedPrintable(_ text: String) -> String {
        let joined = text.replacingOccurrences(of: "=\r\n", with: "")
        var bytes: [UInt8] = []
        var iterator = Array(joined.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "=") {
                let high = iterator.next()!, low = iterator.next()!
                bytes.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)!)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension MIMETests {
    /// The ids the outbox makes are Message-IDs the mail writer accepts.
    @Test func outboxMessageIDsAreValidMessageIDs() throws {
        var message = try Self.message()
        for seconds in [0.0, 1_764_980_000.123, 253_402_300_799.999] {
            message.messageID = Outbox.messageID(at: Date(timeIntervalSince1970: seconds))
            #expect(String(decoding: try message.serialized(), as: UTF8.self).contains("Message-ID: \(message.messageID)\r\n"))
        }
    }
}
