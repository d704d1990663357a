public import Foundation
import PIMCore

/// Turns an outbox row into a `MailMessage`: subject, rendered parts, addresses, the row's own
/// Message-ID and its creation time as Date (so every attempt produces the same octets).
public struct MailComposer: Sendable {
    private let renderer: MailRenderer
    private let sender: EmailAddress
    private let senderName: String
    private let baseURL: String
    private let timeZone: TimeZone
    /// The zone as configured ("UTC", "Europe/Berlin"); Foundation may report UTC as "GMT".
    private let zoneName: String

    /// Loads and checks the templates; fails at start-up on a template error or a base URL that
    /// is not an absolute http(s) URL without query or fragment.
    public init(configuration: MailConfiguration, templatesDirectory: URL? = nil) throws {
        guard let url = URL(string: configuration.publicBaseURL), let scheme = url.scheme?.lowercased(),
              scheme == "https" || scheme == "http", url.host != nil, url.query == nil, url.fragment == nil,
              !configuration.publicBaseURL.unicodeScalars.contains(where: { $0.properties.isControlLike || $0 == " " })
        else { throw MailError.invalidConfiguration("public base URL must be an absolute http(s) URL") }
        guard let timeZone = TimeZone(identifier: configuration.timeZone) else {
            throw MailError.invalidConfiguration("unknown time zone \(configuration.timeZone)")
        }
        renderer = try MailRenderer(directory: templatesDirectory)
        sender = configuration.sender
        senderName = configuration.senderName
        baseURL = configuration.publicBaseURL.hasSuffix("/") ? String(configuration.publicBaseURL.dropLast()) : configuration.publicBaseURL
        self.timeZone = timeZone
        zoneName = configuration.timeZone
    }

    public func compose(_ row: OutboxRow) throws(MailError) -> MailMessage {
        guard let kind = OutboxKind(rawValue: row.kind) else { throw .unrenderable("unknown kind \(EmailAddress.printable(row.kind))") }
        let recipient = try EmailAddress(row.recipient)
        let facts = try MailFacts(json: row.payload)
        let values = MailRenderer.values(facts: facts, link: link(facts["link"]), window: facts.window(timeZone: timeZone, zoneName: zoneName),
                                         recipientName: HeaderEncoding.singleLine(row.recipientName ?? ""))
        let parts: MailRenderer.Parts
        do {
            parts = try renderer.render(kind: kind, values: values, now: row.createdAt)
        } catch {
            throw .unrenderable("template error for \(kind.rawValue)")
        }
        return MailMessage(fromName: senderName, from: sender, toName: row.recipientName, to: recipient,
                           subject: MailSubject.make(kind: kind, facts: facts), date: row.createdAt,
                           messageID: row.messageID, text: parts.text, html: parts.html)
    }

    /// Base URL + the row's link path. Only a plain absolute path is taken ("/approvals/17");
    /// anything else (another host, a scheme, controls) links to the portal's start page.
    func link(_ path: String) -> String {
        let safe = path.hasPrefix("/") && !path.hasPrefix("//") && !path.contains("\\")
            && path.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }
        return baseURL + (safe ? path : "/")
    }
}
