import Foundation
import PIMAuth
import PIMMail
import PIMTemplates

/// Manage → Settings → Mail: how mail leaves (relay, counts, oldest waiting mail) and the outbox
/// rows page by page, with Retry for failed rows. Security Readers see it without forms.
enum MailSettingsPage {
    static let pageSize = 50

    /// GET /settings/mail?status=queued|sent|failed&page=N
    static func show(_ context: AppContext) async throws -> PortalResponse {
        let statusName = context.query["status"] ?? ""
        let status = OutboxStatus(rawValue: statusName)
        let requested = context.query["page"].flatMap(Int.init).map { max(1, $0) } ?? 1
        let outbox = context.environment.mail.outbox
        let now = context.now
        var page = try outbox.mailStatus(status: status, page: requested, pageSize: pageSize, now: now)
        if page.page > page.pageCount {
            page = try outbox.mailStatus(status: status, page: page.pageCount, pageSize: pageSize, now: now)
        }
        let filter = status.map { "status=\($0.rawValue)&" } ?? ""
        func pageHref(_ number: Int) -> TemplateValue { .string("/settings/mail?\(filter)page=\(number)") }
        return try context.page(
            "pages/settings-mail", title: "Mail",
            breadcrumbs: [Crumb("Manage"), Crumb("Settings", "/settings"), Crumb("Mail")],
            values: [
                "canManage": .bool(context.roles.canManage),
                "tabs": SettingsPage.tabs(current: "mail"),
                "relay": relayValue(context.environment.mail.configuration),
                "counts": [
                    "queued": .int(page.counts.queued), "sent": .int(page.counts.sent),
                    "failed": .int(page.counts.failed), "due": .int(page.counts.due),
                    "oldestQueued": page.counts.oldestQueuedAt.map(TemplateValue.date) ?? .null,
                ],
                "statuses": FormValues.options(
                    [("", "All")] + OutboxStatus.allCases.map { ($0.rawValue, $0.rawValue.capitalized) },
                    selected: status?.rawValue ?? ""),
                "entries": .list(page.entries.map(entryValue)),
                "pageNumber": .int(page.page), "pageCount": .int(page.pageCount), "total": .string(page.total == 1 ? "1 mail" : "\(page.total) mails"),
                "newerHref": page.page > 1 ? pageHref(page.page - 1) : .null,
                "olderHref": page.page < page.pageCount ? pageHref(page.page + 1) : .null,
            ])
    }

    /// POST /settings/mail/:id/retry
    static func retry(_ context: AppContext) async throws -> PortalResponse {
        guard let id = context.request.parameters["id"].flatMap(Int64.init) else { throw PageError.notFound }
        let queued = try await context.environment.mail.retry(id: id, now: context.now)
        let flash = queued
            ? FlashMessage(.success, "Mail \(id) is queued again and will be sent now.")
            : FlashMessage(.error, "Mail \(id) is not a failed mail; nothing was changed.")
        context.environment.logger.info("mail retry", metadata: ["by": "\(context.username)", "id": "\(id)", "queued": "\(queued)"])
        return try await context.redirect(to: "/settings/mail", flash: flash)
    }

    /// POST /settings/mail/retry-failed
    static func retryAllFailed(_ context: AppContext) async throws -> PortalResponse {
        let count = try await context.environment.mail.retryAllFailed(now: context.now)
        context.environment.logger.info("mail retry all failed", metadata: ["by": "\(context.username)", "rows": "\(count)"])
        let text = count == 0 ? "No failed mails to retry." : "\(count) failed \(count == 1 ? "mail is" : "mails are") queued again."
        return try await context.redirect(to: "/settings/mail", flash: FlashMessage(count == 0 ? .info : .success, text))
    }

    private static func relayValue(_ configuration: MailConfiguration?) -> TemplateValue {
        guard let configuration else { return .null }
        let smtp = configuration.smtp
        let security: String = switch smtp.security {
        case .none: "none (plain SMTP)"
        case .startTLS: "STARTTLS (required)"
        case .startTLSOpportunistic: "STARTTLS when offered"
        case .implicitTLS: "TLS"
        }
        return [
            "host": .string(smtp.host),
            "port": .string(smtp.port.map(String.init) ?? (smtp.security == .implicitTLS ? "465" : "25")),
            "security": .string(security),
            "authenticated": .bool(smtp.username != nil),
            "sender": .string("\(configuration.senderName) <\(configuration.sender)>"),
            "baseURL": .string(configuration.publicBaseURL),
        ]
    }

    private static func entryValue(_ entry: MailStatusPage.Entry) -> TemplateValue {
        let tone = switch entry.status {
        case .queued: "info"
        case .sent: "success"
        case .failed: "danger"
        }
        return [
            "id": .int(Int(entry.id)), "created": .date(entry.createdAt),
            "status": .string(entry.status.rawValue), "tone": .string(tone),
            "isFailed": .bool(entry.status == .failed), "isQueued": .bool(entry.status == .queued),
            "recipient": .string(entry.recipient), "recipientName": .string(entry.recipientName ?? ""),
            "kind": .string(entry.kind), "attempts": .int(entry.attempts),
            "nextAttempt": .date(entry.nextAttemptAt), "lastError": .string(entry.lastError ?? ""),
            "sent": entry.sentAt.map(TemplateValue.date) ?? .null,
        ]
    }
}

extension SettingsPage {
    /// The tabs above the Settings pages: General (this page's form) and Mail.
    static func tabs(current: String) -> TemplateValue {
        [
            "label": "Settings sections",
            "items": .list([("general", "General", "/settings"), ("mail", "Mail", "/settings/mail")].map { key, label, href in
                .object(LinkView(label: label, href: href, current: key == current))
            }),
        ]
    }
}
