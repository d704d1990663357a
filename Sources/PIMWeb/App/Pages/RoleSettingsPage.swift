import Foundation
import HTTPTypes
import PIMAuth
import PIMCore
import PIMTemplates

/// Role settings: a read view of every setting, and Edit with the Activation / Assignment /
/// Notification tabs. The tabs are submit buttons of one form, so switching tabs without
/// JavaScript carries what was typed (the other tabs travel as hidden fields); Update validates
/// all three and saves through PIMCore, or re-shows the first tab with a problem.
enum RoleSettingsPage {
    static func show(_ context: AppContext) async throws -> PortalResponse {
        let role = try await RoleAssignPage.loadRole(context, try context.idParameter())
        let s = role.settings, a = s.activation, asg = s.assignment
        func yes(_ flag: Bool) -> String { flag ? "Yes" : "No" }
        let freshness: String = switch a.mfaFreshness {
        case .everyActivation: "Ask for a code on every activation"
        case .withinMinutes(let minutes): "Accept an MFA done in this session within the last \(minutes) min"
        }
        let approvers = a.approverUsers + a.approverGroups.map { "Group: \($0)" }
        let sections: [(String, [(String, String)])] = [
            ("Activation", [
                ("Activation maximum duration", DurationText.format(minutes: a.maximumDurationMinutes)),
                ("On activation, require", a.requireMFA ? "TOTP MFA" : "None"),
                ("MFA freshness", freshness),
                ("Require justification on activation", yes(a.requireJustification)),
                ("Require ticket information on activation", yes(a.requireTicket)),
                ("Justification pattern", a.justificationPattern ?? "None"),
                ("Message when it does not match", a.justificationPatternMessage ?? "–"),
                ("Require approval to activate", yes(a.requireApproval)),
                ("Approvers", approvers.isEmpty ? "PIM Administrators" : approvers.joined(separator: ", ")),
                ("Approvals required", String(a.approvalsRequired)),
                ("Require approver justification", yes(a.requireApproverJustification)),
                ("Approval timeout", "\(a.approvalTimeoutHours) h"),
                ("Ask approvers for a TOTP code", yes(a.requireApproverMFA)),
            ]),
            ("Assignment", [
                ("Permanent eligible assignment", asg.eligibleExpiry.map { "Not allowed: expire after \($0.label)" } ?? "Allowed"),
                ("Permanent active assignment", asg.activeExpiry.map { "Not allowed: expire after \($0.label)" } ?? "Allowed"),
                ("Require MFA on active assignment", yes(asg.requireMFAOnActive)),
                ("Require justification on active assignment", yes(asg.requireJustificationOnActive)),
            ]),
        ]
        let notifications: [TemplateValue] = NotificationSectionKind.allCases.map { section in
            [
                "title": .string(title(section)),
                "rows": .list(NotificationAudience.allCases.map { audience in
                    let row = RoleSettingsForm.row(s.notification[section], audience)
                    return [
                        "label": .string(rowLabel(section, audience)),
                        "defaultText": .string(row.defaultRecipients ? audienceLabel(audience) : "Off"),
                        "additional": .string(row.additionalRecipients.joined(separator: "; ")),
                        "criticalText": .string(yes(row.criticalEmailsOnly)),
                    ]
                }),
            ]
        }
        return try context.page(
            "pages/role-settings", title: "Role settings: \(role.name)", breadcrumbs: crumbs(role, current: "Role settings"),
            values: [
                "role": ["id": .int(Int(role.id)), "name": .string(role.name)],
                "canManage": .bool(context.roles.canManage),
                "sections": .list(sections.map { title, items in
                    ["title": .string(title), "items": .list(items.map { ["label": .string($0.0), "value": .string($0.1)] })]
                }),
                "notifications": .list(notifications),
            ])
    }

    /// GET /roles/:id/settings/edit?tab=…
    static func edit(_ context: AppContext) async throws -> PortalResponse {
        let role = try await RoleAssignPage.loadRole(context, try context.idParameter())
        let tab = RoleSettingsForm.Tab(rawValue: context.query.trimmed("tab")) ?? .activation
        return try render(context, role: role, form: RoleSettingsForm(settings: role.settings), tab: tab, errors: FormErrors())
    }

    /// POST /roles/:id/settings: `go` is a tab name (switch tabs, nothing saved) or "update".
    static func update(_ context: AppContext) async throws -> PortalResponse {
        let role = try await RoleAssignPage.loadRole(context, try context.idParameter())
        let posted = context.form
        let form = RoleSettingsForm { posted.all($0).last }
        let go = posted.trimmed("go")
        if let tab = RoleSettingsForm.Tab(rawValue: go) {
            return try render(context, role: role, form: form, tab: tab, errors: FormErrors())
        }
        var (settings, errors) = form.parse(directory: context.environment.directory)
        if errors.isEmpty {
            do {
                _ = try await context.environment.service.updateSettings(roleID: role.id, settings: settings, by: context.actor())
                return try await context.redirect(
                    to: "/roles/\(role.id)/settings",
                    flash: FlashMessage(.success, "Settings of \(role.name) updated."))
            } catch let refusal as PIMError {
                errors.add(nil, refusal.message)
            }
        }
        let firstField = errors.entries.compactMap(\.field).first
        let tab = firstField.map(RoleSettingsForm.tab(of:))
            ?? RoleSettingsForm.Tab(rawValue: posted.trimmed("tab")) ?? .activation
        return try render(context, role: role, form: form, tab: tab, errors: errors, status: .unprocessableContent)
    }

    // MARK: Rendering the edit form

    private static func render(
        _ context: AppContext, role: Role, form: RoleSettingsForm, tab: RoleSettingsForm.Tab, errors: FormErrors,
        status: HTTPResponse.Status = .ok
    ) throws -> PortalResponse {
        let names = RoleSettingsForm.allFieldNames
        let hidden: [TemplateValue] = names.filter { RoleSettingsForm.tab(of: $0) != tab }.compactMap { name in
            if RoleSettingsForm.isBoolean(name) {
                return form.flag(name) ? ["name": .string(name), "value": "true"] : nil
            }
            return ["name": .string(name), "value": .string(form[name])]
        }
        let tabs = RoleSettingsForm.Tab.allCases
        let next = tabs.firstIndex(of: tab).flatMap { $0 + 1 < tabs.count ? tabs[$0 + 1] : nil }
        let expiryChoices = [("permanent", "Allow permanent")] + AssignmentExpiry.allCases.map { ($0.rawValue, "Expire after \($0.label)") }
        let matrix: [TemplateValue] = NotificationSectionKind.allCases.map { section in
            [
                "title": .string(title(section)),
                "rows": .list(NotificationAudience.allCases.map { audience in
                    let prefix = "n_\(section.rawValue)_\(audience.rawValue)"
                    return [
                        "prefix": .string(prefix), "label": .string(rowLabel(section, audience)),
                        "audience": .string(audienceLabel(audience)),
                        "defaultChecked": .bool(form.flag(prefix + "_default")),
                        "criticalChecked": .bool(form.flag(prefix + "_critical")),
                        "additional": .string(form[prefix + "_additional"]),
                        "error": .string(errors.message(for: prefix + "_additional") ?? ""),
                    ]
                }),
            ]
        }
        return try context.page(
            "pages/role-settings-edit", title: "Edit role settings: \(role.name)",
            breadcrumbs: crumbs(role, current: "Edit role settings"),
            values: [
                "role": ["id": .int(Int(role.id)), "name": .string(role.name)],
                "tab": .string(tab.rawValue),
                "tabs": .list(tabs.map { each in
                    let count = errors.entries.filter { $0.field.map(RoleSettingsForm.tab(of:)) == each }.count
                    return ["name": .string(each.rawValue), "label": .string(each.label), "current": .bool(each == tab),
                            "ariaCurrent": .string(each == tab ? "page" : "false"), "errorCount": .int(count)]
                }),
                "nextTab": next.map { ["name": .string($0.rawValue), "label": .string($0.label)] } ?? .null,
                "hiddenFields": .list(hidden),
                "v": FormValues.values(form.values, fields: names),
                "e": FormValues.errors(errors, fields: names),
                "form": FormValues.form(errors),
                "durationOptions": FormValues.options(
                    stride(from: 30, through: 1440, by: 30).map { (String($0), DurationText.format(minutes: $0)) },
                    selected: form["maxMinutes"]),
                "approvalOptions": FormValues.options([("1", "1"), ("2", "2"), ("3", "3")], selected: form["approvalsRequired"]),
                "expiryFields": .list([("eligibleExpiry", "Eligible assignments"), ("activeExpiry", "Active assignments")].map { name, label in
                    ["name": .string(name), "label": .string(label), "error": .string(errors.message(for: name) ?? ""),
                     "options": FormValues.options(expiryChoices, selected: form[name])]
                }),
                "matrix": .list(matrix),
            ],
            status: status)
    }

    static func crumbs(_ role: Role, current: String) -> [Crumb] {
        [Crumb("Manage"), Crumb("Roles", "/roles"), Crumb(role.name, "/roles/\(role.id)"), Crumb(current)]
    }

    static func title(_ section: NotificationSectionKind) -> String {
        switch section {
        case .eligibleAssigned: "Send notifications when members are assigned as eligible to this role"
        case .activeAssigned: "Send notifications when members are assigned as active to this role"
        case .activation: "Send notifications when eligible members activate this role"
        }
    }

    static func rowLabel(_ section: NotificationSectionKind, _ audience: NotificationAudience) -> String {
        switch (section, audience) {
        case (.activation, .admins): "Role activation alert"
        case (_, .admins): "Role assignment alert"
        case (.activation, .assignee): "Notification to the activated user (requestor)"
        case (_, .assignee): "Notification to the assigned user (assignee)"
        case (.activation, .approvers): "Request to approve an activation"
        case (_, .approvers): "Request to approve an extension or renewal"
        }
    }

    static func audienceLabel(_ audience: NotificationAudience) -> String {
        switch audience {
        case .admins: "Admins"
        case .assignee: "Assignee"
        case .approvers: "Approvers"
        }
    }
}
