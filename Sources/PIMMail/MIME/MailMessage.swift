public import Foundation

/// One notification e-mail ready to be serialised: a multipart/alternative of UTF-8 text and
/// HTML (RFC 2046 §5.1.4), each quoted-printable encoded.
public struct MailMessage: Sendable, Equatable {
    public var fromName: String
    public var from: EmailAddress
    public var toName: String?
    public var to: EmailAddress
    /// Starts with "PIM:" by convention of the renderer; CR/LF and controls are neutralised here.
    public var subject: String
    public var date: Date
    /// "<left@right>" (RFC 5322 §3.6.4), stable per outbox row so that repeats are recognisable.
    public var messageID: String
    public var text: String
    public var html: String

    public init(
        fromName: String, from: EmailAddress, toName: String?, to: EmailAddress, subject: String,
        date: Date, messageID: String, text: String, html: String
    ) {
        self.fromName = fromName
        self.from = from
        self.toName = toName
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.text = text
        self.html = html
    }

    /// The message in RFC 5322 form with CRLF line ends. Deterministic: the same row renders to
    /// the same octets on every attempt, boundary included.
    public func serialized() throws(MailError) -> [UInt8] {
        guard Self.isValidMessageID(messageID) else { throw .unrenderable("invalid Message-ID") }
        let boundary = "=_pim_" + Self.fnv1a(messageID)
        var out = ""
        out += HeaderEncoding.field("Date", [RFC5322Date.format(date)])
        out += HeaderEncoding.field("From", HeaderEncoding.mailbox(name: fromName, address: from))
        out += HeaderEncoding.field("To", HeaderEncoding.mailbox(name: toName, address: to))
        out += HeaderEncoding.field("Subject", HeaderEncoding.unstructured(subject))
        out += HeaderEncoding.field("Message-ID", [messageID])
        out += "MIME-Version: 1.0\r\n"
        // RFC 3834 §5: machine-generated, so autoresponders stay quiet; the Microsoft header
        // does the same for Exchange out-of-office replies.
        out += "Auto-Submitted: auto-generated\r\n"
        out += "X-Auto-Response-Suppress: All\r\n"
        out += "Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n"
        out += "\r\n"
        out += "This is a multi-part message in MIME format.\r\n"
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            out += "--\(boundary)\r\n"
            out += "Content-Type: \(type); charset=utf-8\r\n"
            out += "Content-Transfer-Encoding: quoted-printable\r\n"
            out += "\r\n"
            out += QuotedPrintable.encode(body) + "\r\n"
        }
        out += "--\(boundary)--\r\n"
        return Array(out.utf8)
    }

    /// msg-id = "<" id-left "@" id-right ">" with dot-atom-text on both sides (RFC 5322 §3.6.4).
    static func isValidMessageID(_ id: String) -> Bool {
        guard id.hasPrefix("<"), id.hasSuffix(">"), id.utf8.count <= 250 else { return false }
        let inner = id.dropFirst().dropLast()
        let parts = inner.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return parts.allSatisfy { part in
            part.split(separator: ".", omittingEmptySubsequences: false)
                .allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(HeaderEncoding.isAtext) }
        }
    }

    /// 64-bit FNV-1a as hex: a short, stable boundary suffix (not a security property).
    private static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// RFC 5322 §3.3 date-time in UTC, e.g. "Wed, 25 Nov 2026 12:35:45 +0000".
enum RFC5322Date {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(days[(parts.weekday ?? 1) - 1]), \(parts.day ?? 1) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
