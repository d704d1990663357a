import Foundation
import PIMCore
import PIMMail

/// The Role settings Edit form: every field of SPEC.md's three tabs as the strings the form
/// carries, read from stored settings or from a POST, and turned back into `RoleSettings` with a
/// message per field. All three tabs travel in every POST (the hidden tabs as hidden fields), so
/// moving between tabs without JavaScript keeps what was typed.
struct RoleSettingsForm: Sendable, Equatable {
    enum Tab: String, Sendable, CaseIterable {
        case activation, assignment, notification

        var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    /// Field name → value as the form shows it; booleans are "true"/"false".
    var values: [String: String]

    static let booleanFields = [
        "requireJustification", "requireTicket", "requireApproval", "approverJustification", "approverMFA",
        "activeRequireMFA", "activeRequireJustification",
    ]
    static let textFields = [
        "maxMinutes", "requireMFA", "freshness", "freshnessMinutes", "pattern", "patternMessage",
        "approverUsers", "approverGroups", "approvalsRequired", "timeoutHours", "eligibleExpiry", "activeExpiry",
    ]

    /// The fields of one notification row: `n_<section>_<audience>_<default|additional|critical>`.
    static func notificationField(_ section: NotificationSectionKind, _ audience: NotificationAudience, _ part: String) -> String {
        "n_\(section.rawValue)_\(audience.rawValue)_\(part)"
    }

    static var allFieldNames: [String] {
        var names = booleanFields + textFields
        for section in NotificationSectionKind.allCases {
            for audience in NotificationAudience.allCases {
                names += ["default", "additional", "critical"].map { notificationField(section, audience, $0) }
            }
        }
        return names
    }

    init(settings: RoleSettings) {
        let a = settings.activation, s = settings.assignment
        var v: [String: String] = [
            "maxMinutes": String(a.maximumDurationMinutes),
            "requireMFA": a.requireMFA ? "totp" : "none",
            "requireJustification": String(a.requireJustification),
            "requireTicket": String(a.requireTicket),
            "pattern": a.justificationPattern ?? "",
            "patternMessage": a.justificationPatternMessage ?? "",
            "requireApproval": String(a.requireApproval),
            "approverUsers": a.approverUsers.joined(separator: ", "),
            "approverGroups": a.approverGroups.joined(separator: ", "),
            "approvalsRequired": String(a.approvalsRequired),
            "approverJustification": String(a.requireApproverJustification),
            "timeoutHours": String(a.approvalTimeoutHours),
            "approverMFA": String(a.requireApproverMFA),
            "eligibleExpiry": s.eligibleExpiry?.rawValue ?? "permanent",
            "activeExpiry": s.activeExpiry?.rawValue ?? "permanent",
            "activeRequireMFA": String(s.requireMFAOnActive),
            "activeRequireJustification": String(s.requireJustificationOnActive),
        ]
        switch a.mfaFreshness {
        case .everyActivation:
            v["freshness"] = "every"
            v["freshnessMinutes"] = "15"
        case .withinMinutes(let minutes):
            v["freshness"] = "within"
            v["freshnessMinutes"] = String(minutes)
        }
        for section in NotificationSectionKind.allCases {
            for audience in NotificationAudience.allCases {
                let row = Self.row(settings.notification[section], audience)
                v[Self.notificationField(section, audience, "default")] = String(row.defaultRecipients)
                v[Self.notificationField(section, audience, "additional")] = row.additionalRecipients.joined(separator: "; ")
                v[Self.notificationField(section, audience, "critical")] = String(row.criticalEmailsOnly)
            }
        }
        values = v
    }

    /// Reads a POST: `value(name)` is the last value sent under `name` (a checkbox follows a
    /// hidden "false" of the same name, so an unticked box reads false).
    init(form value: (String) -> String?) {
        var v: [String: String] = [:]
        for name in Self.allFieldNames { v[name] = value(name) ?? "" }
        for name in Self.allFieldNames where Self.isBoolean(name) { v[name] = v[name] == "true" ? "true" : "false" }
        values = v
    }

    static func isBoolean(_ name: String) -> Bool {
        booleanFields.contains(name) || name.hasSuffix("_default") || name.hasSuffix("_critical")
    }

    subscript(name: String) -> String { values[name] ?? "" }

    func flag(_ name: String) -> Bool { self[name] == "true" }

    /// The settings the form describes, or the message of each field in error. Approvers are
    /// checked against the directory.
    func parse(directory: any Directory) -> (settings: RoleSettings, errors: FormErrors) {
        var errors = FormErrors()
        var settings = RoleSettings()
        var a = ActivationSettings()
        if let minutes = Int(self["maxMinutes"]), (30...1440).contains(minutes), minutes % 30 == 0 {
            a.maximumDurationMinutes = minutes
        } else {
            errors.add("maxMinutes", "Choose a maximum duration between 30 minutes and 24 hours, in 30-minute steps.")
        }
        a.requireMFA = self["requireMFA"] != "none"
        if self["freshness"] == "within" {
            if let minutes = Int(self["freshnessMinutes"]), (1...60).contains(minutes) {
                a.mfaFreshness = .withinMinutes(minutes)
            } else {
                errors.add("freshnessMinutes", "Enter a number of minutes between 1 and 60.")
            }
        } else {
            a.mfaFreshness = .everyActivation
        }
        a.requireJustification = flag("requireJustification")
        a.requireTicket = flag("requireTicket")
        let pattern = self["pattern"].trimmingCharacters(in: .whitespaces)
        if !pattern.isEmpty {
            if (try? Regex(pattern)) == nil {
                errors.add("pattern", "This is not a valid regular expression.")
            }
            a.justificationPattern = pattern
            let message = self["patternMessage"].trimmingCharacters(in: .whitespaces)
            if message.isEmpty {
                errors.add("patternMessage", "Enter the message shown when the justification does not match.")
            }
            a.justificationPatternMessage = message
        }
        a.requireApproval = flag("requireApproval")
        a.approverUsers = Self.names(self["approverUsers"])
        a.approverGroups = Self.names(self["approverGroups"])
        let unknownUsers = a.approverUsers.filter { directory.user(named: $0) == nil }
        if !unknownUsers.isEmpty { errors.add("approverUsers", "No user named \(unknownUsers.joined(separator: ", ")).") }
        let unknownGroups = a.approverGroups.filter { directory.group(named: $0) == nil }
        if !unknownGroups.isEmpty { errors.add("approverGroups", "No group named \(unknownGroups.joined(separator: ", ")).") }
        if let count = Int(self["approvalsRequired"]), (1...3).contains(count) {
            a.approvalsRequired = count
            if a.requireApproval, a.approverGroups.isEmpty, !a.approverUsers.isEmpty, a.approverUsers.count < count {
                errors.add("approvalsRequired", "\(count) approvals are required but fewer approvers are chosen; add approvers or a group.")
            }
        } else {
            errors.add("approvalsRequired", "Choose 1, 2 or 3 approvals.")
        }
        a.requireApproverJustification = flag("approverJustification")
        if let hours = Int(self["timeoutHours"]), (1...72).contains(hours) {
            a.approvalTimeoutHours = hours
        } else {
            errors.add("timeoutHours", "Enter an approval timeout between 1 and 72 hours.")
        }
        a.requireApproverMFA = flag("approverMFA")
        settings.activation = a

        var s = AssignmentSettings()
        for (field, type) in [("eligibleExpiry", AssignmentType.eligible), ("activeExpiry", .active)] {
            let raw = self[field]
            let expiry: AssignmentExpiry?
            if raw == "permanent" { expiry = nil } else if let value = AssignmentExpiry(rawValue: raw) { expiry = value } else {
                errors.add(field, "Choose one of the offered lengths.")
                continue
            }
            if type == .eligible { s.eligibleExpiry = expiry } else { s.activeExpiry = expiry }
        }
        s.requireMFAOnActive = flag("activeRequireMFA")
        s.requireJustificationOnActive = flag("activeRequireJustification")
        settings.assignment = s

        for section in NotificationSectionKind.allCases {
            var sectionValue = settings.notification[section]
            for audience in NotificationAudience.allCases {
                let field = Self.notificationField(section, audience, "additional")
                let addresses = NotificationRow.parseRecipients(self[field])
                // The address check of the mail module that will send to them.
                let bad = addresses.filter { (try? EmailAddress($0)) == nil }
                if !bad.isEmpty { errors.add(field, "Not an email address: \(bad.joined(separator: ", ")).") }
                let row = NotificationRow(
                    defaultRecipients: flag(Self.notificationField(section, audience, "default")),
                    additionalRecipients: addresses,
                    criticalEmailsOnly: flag(Self.notificationField(section, audience, "critical")))
                Self.setRow(&sectionValue, audience, row)
            }
            settings.notification[section] = sectionValue
        }
        return (settings, errors)
    }

    /// Which tab holds a field, to open the first tab with an error.
    static func tab(of field: String) -> Tab {
        if field.hasPrefix("n_") { return .notification }
        if ["eligibleExpiry", "activeExpiry", "activeRequireMFA", "activeRequireJustification"].contains(field) {
            return .assignment
        }
        return .activation
    }

    static func names(_ text: String) -> [String] {
        var seen = Set<String>()
        return text.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace })
            .map(String.init).filter { seen.insert($0).inserted }
    }

    static func row(_ section: NotificationSection, _ audience: NotificationAudience) -> NotificationRow {
        switch audience {
        case .admins: return section.admins
        case .assignee: return section.assignee
        case .approvers: return section.approvers
        }
    }

    static func setRow(_ section: inout NotificationSection, _ audience: NotificationAudience, _ row: NotificationRow) {
        switch audience {
        case .admins: section.admins = row
        case .assignee: section.assignee = row
        case .approvers: section.approvers = row
        }
    }
}
