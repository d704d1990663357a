/// Everything that can go wrong while preparing or sending one mail.
///
/// Descriptions carry codes, curl's messages and file paths, never passwords or message bodies,
/// so they are safe for the log and for Settings → Mail (`outbox.last_error`).
public enum MailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An address that is not a plain `local@domain` (RFC 5322 §3.4.1 dot-atom). Permanent.
    case invalidAddress(String)
    /// The outbox row cannot become a message (unknown kind, unreadable payload). Permanent.
    case unrenderable(String)
    /// The configuration is unusable (bad host, HELO name, base URL). Permanent until fixed.
    case invalidConfiguration(String)
    /// The SMTP password file could not be read. Retried: an operator can fix the file.
    case passwordFileUnreadable(path: String)
    /// libcurl failed: its `CURLcode`, `curl_easy_strerror` text, the error buffer's detail and
    /// the last SMTP reply code (0 when none was received), per curl_easy_perform(3).
    case transport(SMTPFailure)

    /// Whether the relay as a whole is unwell, so the rest of a batch should wait too.
    public var concernsRelay: Bool {
        switch self {
        case .transport(let failure): !failure.isMessageSpecific
        case .invalidConfiguration, .passwordFileUnreadable: true
        case .invalidAddress, .unrenderable: false
        }
    }

    /// Whether trying again later can help. Malformed rows will never send; transport trouble may.
    public var isPermanent: Bool {
        switch self {
        case .invalidAddress, .unrenderable: true
        case .invalidConfiguration, .passwordFileUnreadable, .transport: false
        }
    }

    public var description: String {
        switch self {
        case .invalidAddress(let text): "invalid address: \(text)"
        case .unrenderable(let reason): "cannot build the message: \(reason)"
        case .invalidConfiguration(let reason): "invalid mail configuration: \(reason)"
        case .passwordFileUnreadable(let path): "cannot read the SMTP password file \(path)"
        case .transport(let failure): failure.description
        }
    }
}

/// A libcurl error as curl reported it.
public struct SMTPFailure: Sendable, Equatable, CustomStringConvertible {
    /// The `CURLcode` (e.g. 7 = CURLE_COULDNT_CONNECT, 28 = CURLE_OPERATION_TIMEDOUT).
    public let curlCode: Int
    /// `curl_easy_strerror(code)`.
    public let message: String
    /// The CURLOPT_ERRORBUFFER text, often naming the failing step; may be empty.
    public let detail: String
    /// CURLINFO_RESPONSE_CODE: the last SMTP reply code, 0 if the server never answered.
    public let smtpReply: Int

    /// The relay answered and refused this one message or recipient (RFC 5321 §4.2.2 mailbox and
    /// message replies 450–452, 550–554), so other mails may still go through now. Every other
    /// failure (no connection, timeout, TLS, AUTH, 421) concerns the relay as a whole.
    public var isMessageSpecific: Bool {
        (450...452).contains(smtpReply) || (550...554).contains(smtpReply)
    }

    public var description: String {
        var text = "SMTP failed (curl \(curlCode): \(message)"
        if !detail.isEmpty, detail != message { text += "; \(detail)" }
        if smtpReply != 0 { text += "; last reply \(smtpReply)" }
        return text + ")"
    }
}
