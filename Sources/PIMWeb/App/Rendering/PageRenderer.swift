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
    /// and the flash messages of the request's flash cookie (which the response then clears, so
    /// each shows once).
    /// `values` are the page's own keys next to the layout's (`app`, `user`, `csrf`, `nav`,
    /// `page`, `flash`, `tz`, `now`).
    func page(
        _ template: String, title: String, breadcrumbs: [Crumb] = [],
        values: [String: TemplateValue] = [:], status: HTTPResponse.Status = .ok,
        extraFlash: [FlashMessage] = []
    ) throws -> PortalResponse {
        let flashCookie = FlashCookie.value(fromCookieHeaders: request.cookieHeaders, secure: request.isSecure)
        let flash = waitingFlash(flashCookie) + extraFlash
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
        var response = PortalResponse.html(bytes, status: status)
        if flashCookie != nil { response.addCookie(FlashCookie.clearCookie(secure: request.isSecure)) }
        return response
    }

    /// `303 See Other` to `location` with a one-time message for the page shown there
    /// (post/redirect/get). Signed out, the message is dropped: there is no session to keep it.
    func redirect(to location: String, flash: FlashMessage? = nil) async throws -> PortalResponse {
        redirect(to: location, flash: flash.map { [$0] } ?? [])
    }

    /// `303 See Other` to `location` with `messages` for the page shown there, after those still
    /// waiting unshown. `sessionID` is the session the browser holds after this response (a
    /// step-up rotates it); by default the request's.
    func redirect(to location: String, flash messages: [FlashMessage], for sessionID: SessionID? = nil) -> PortalResponse {
        var response = PortalResponse.seeOther(location)
        guard !messages.isEmpty, let id = sessionID ?? session?.id else { return response }
        let waiting = waitingFlash(FlashCookie.value(fromCookieHeaders: request.cookieHeaders, secure: request.isSecure))
        response.addCookie(environment.flash.setCookie(waiting + messages, for: id, now: now, secure: request.isSecure))
        return response
    }

    /// The messages of the request's flash cookie, when it is signed for this session.
    private func waitingFlash(_ cookie: String?) -> [FlashMessage] {
        guard let session, cookie != nil else { return [] }
        return environment.flash.messages(in: cookie, for: session.id, now: now)
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
