import Foundation
import HTTPTypes
import PIMAuth
import PIMCore
import PIMTemplates

/// Manage → Settings: time zone, sign-in and MFA policy. Security Readers see the values only.
enum SettingsPage {
    static let numberFields: [(name: String, label: String, group: String, range: ClosedRange<Int>)] = [
        ("sessionIdleMinutes", "Sign out after this many minutes without activity", "signin", 5...240),
        ("sessionAbsoluteHours", "Sign out this many hours after sign-in, whatever the activity", "signin", 1...24),
        ("totpLockoutAttempts", "Wrong codes before codes are locked", "mfa", 3...10),
        ("totpLockoutMinutes", "Minutes codes stay locked", "mfa", 1...60),
    ]

    static func show(_ context: AppContext) async throws -> PortalResponse {
        var settings = try await context.store.readOffPool { try SiteSettings.load(in: $0) } ?? .defaults
        if context.environment.site.withLock({ $0 }) == nil { settings.timeZone = context.environment.timeZoneName }
        return try render(context, form: SiteSettingsForm(settings), errors: FormErrors())
    }

    static func update(_ context: AppContext) async throws -> PortalResponse {
        let posted = context.form
        let form = SiteSettingsForm { posted.all($0).last }
        let (settings, errors) = form.parse()
        guard errors.isEmpty else { return try render(context, form: form, errors: errors, status: .unprocessableContent) }
        try await context.store.write { [actor = context.username, address = context.request.remoteAddress, now = context.now] db in
            try SiteSettings.save(settings, by: actor, sourceAddress: address, at: now, in: db)
        }
        context.environment.site.withLock { $0 = settings }
        return try await context.redirect(to: "/settings", flash: FlashMessage(.success, "Settings saved."))
    }

    private static func render(
        _ context: AppContext, form: SiteSettingsForm, errors: FormErrors, status: HTTPResponse.Status = .ok
    ) throws -> PortalResponse {
        let zones = TimeZone.knownTimeZoneIdentifiers.sorted()
        let names = ["timeZone"] + numberFields.map(\.name)
        return try context.page(
            "pages/settings", title: "Settings", breadcrumbs: [Crumb("Manage"), Crumb("Settings")],
            values: [
                "canManage": .bool(context.roles.canManage),
                "tabs": tabs(current: "general"),
                "v": FormValues.values(form.values, fields: names),
                "e": FormValues.errors(errors, fields: names),
                "form": FormValues.form(errors),
                "zones": .list((zones.contains("UTC") ? zones : ["UTC"] + zones).map {
                    ["value": .string($0), "selected": .bool($0 == form["timeZone"])]
                }),
                "groups": .list([("signin", "Sign-in"), ("mfa", "Multi-factor authentication")].map { group, title in
                    [
                        "title": .string(title),
                        "fields": .list(numberFields.filter { $0.group == group }.map { field in
                            [
                                "name": .string(field.name), "label": .string(field.label),
                                "min": .int(field.range.lowerBound), "max": .int(field.range.upperBound),
                                "value": .string(form[field.name]), "error": .string(errors.message(for: field.name) ?? ""),
                            ]
                        }),
                    ]
                }),
            ],
            status: status)
    }
}
