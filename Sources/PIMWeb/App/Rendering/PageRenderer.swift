import Foundation
import HTTPTypes
import PIMAuth
import PIMTemplates

/// A breadcrumb: a link, or the current page when `href` is nil.
struct Crumb: Sendable {
    let label: String
    let href: String?
    init(_ label: String, _ href: String? = nil) {
        self.label = label
        self.href = href
    }
}

extension AppContext {
    /// Renders `template` inside the layout: header, navigation for this user, breadcrumbs, title
    /// and the flash messages waiting in the session (taken now, so each shows once).
    /// `values` are the page's own keys next to the layout's (`app`, `user`, `csrf`, `nav`,
    /// `page`, `flash`, `tz`, `now`).
    func page(
        _ template: String, title: String, breadcrumbs: [Crumb] = [],
        values: [String: TemplateValue] = [:], status: HTTPResponse.Status = .ok,
        extraFlash: [FlashMessage] = []
    ) throws -> PortalResponse {
        var flash: [FlashMessage] = []
        if let session, flashWaiting { flash = try environment.sessions.takeFlash(for: session.id) }
        flash += extraFlash
        let root = PageValues(
            values: values,
            app: appValue,
            user: user.map { .object(PairValues(("username", .string($0.username)), ("displayName", .string($0.displayName)))) } ?? .null,
            csrf: .string(csrfToken),
            nav: Navigation.value(for: self, table: environment.routes, currentPath: request.path),
            page: .object(PairValues(("title", .string(title)), ("breadcrumbs", .list(breadcrumbs.map {
                ["label": .string($0.label), "href": $0.href.map(TemplateValue.string) ?? .null]
            })))),
            flash: .list(flash.map(Self.flashValue)),
            tz: .string(environment.timeZoneName),
            now: .date(now))
        let bytes = try environment.templates.renderBytes(template, .object(root), now: now)
        return .html(bytes, status: status)
    }

    /// `303 See Other` to `location` with a one-time message for the page shown there
    /// (post/redirect/get). Signed out, the message is dropped: there is no session to keep it.
    func redirect(to location: String, flash: FlashMessage? = nil) async throws -> PortalResponse {
        if let flash, let session { try await environment.sessions.addFlash(flash, to: session.id) }
        return .seeOther(location)
    }

    /// Times in the configured zone.
    var times: TimeText { TimeText(timeZone: timeZone, name: environment.timeZoneName) }

    private var appValue: TemplateValue {
        let configuration = environment.configuration
        return .object(AppValues(
            productName: configuration.productName, demo: configuration.demoMode, cssPath: configuration.stylesheetPath,
            jsPath: configuration.scriptPath, timeZoneName: environment.timeZoneName))
    }

    private static func flashValue(_ message: FlashMessage) -> TemplateValue {
        [
            "kind": .string(message.kind.rawValue),
            "text": .string(message.text),
            // Errors interrupt screen readers; confirmations wait politely.
            "role": .string(message.kind == .error ? "alert" : "status"),
        ]
    }
}
