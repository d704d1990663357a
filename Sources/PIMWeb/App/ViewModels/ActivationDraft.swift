import Foundation
import PIMCore
import PIMTemplates

/// What the Activate form holds, read from the query (prefill, e.g. on the way back from
/// Security info) or from the submitted body; the same names both ways.
struct ActivationDraft {
    var roleIDs: [Int64]
    /// The activation being extended (Extend on an active row), if any.
    var extendID: Int64?
    var duration: String
    var start: String
    var justification: String
    var ticketSystem: String
    var ticketNumber: String

    init(_ fields: FormData) {
        roleIDs = fields.ids("role")
        extendID = fields.ids("extend").first
        duration = fields.trimmed("duration")
        start = fields.trimmed("start")
        justification = fields.trimmed("justification")
        ticketSystem = fields.trimmed("ticketSystem")
        ticketNumber = fields.trimmed("ticketNumber")
    }

    /// The GET address of this form with everything typed so far (never the code).
    var path: String {
        var pairs = roleIDs.map { ("role", String($0)) }
        if let extendID { pairs = [("extend", String(extendID))] }
        for (name, value) in [("duration", duration), ("start", start), ("justification", justification),
                              ("ticketSystem", ticketSystem), ("ticketNumber", ticketNumber)] where !value.isEmpty {
            pairs.append((name, value))
        }
        return "/my-roles/activate?" + FormData.encode(pairs)
    }
}

/// The combined requirements of the roles on one Activate form (bulk activation asks once).
struct ActivationNeeds {
    let roles: [Role]
    let maximumMinutes: Int
    let requireJustification: Bool
    let requireTicket: Bool
    let requireMFA: Bool
    /// The session's last proof satisfies every role's freshness policy: no code needed now.
    let mfaAlreadyFresh: Bool
    let approvalRoles: [String]

    init(roles: [Role], sessionProofAt: Date?, now: Date) {
        self.roles = roles
        let settings = roles.map(\.settings.activation)
        maximumMinutes = max(30, settings.map(\.maximumDurationMinutes).min() ?? 480)
        requireJustification = settings.contains { $0.requireJustification }
        requireTicket = settings.contains { $0.requireTicket }
        requireMFA = settings.contains { $0.requireMFA }
        mfaAlreadyFresh = settings.allSatisfy {
            !$0.requireMFA || ActivationPolicy.mfaSatisfied(settings: $0, provenAt: sessionProofAt, now: now)
        }
        approvalRoles = roles.filter { $0.settings.activation.requireApproval }.map(\.name)
    }

    var needsCode: Bool { requireMFA && !mfaAlreadyFresh }

    /// 30-minute steps up to the maximum ("30 min", "1 h", … "8 h").
    var durationChoices: [Int] { Array(stride(from: 30, through: maximumMinutes, by: 30)) }
}

/// Builds the form fields of the Activate page for `partials/field`.
enum ActivationFields {
    static func values(draft: ActivationDraft, needs: ActivationNeeds, errors: FormErrors, times: TimeText) -> TemplateValue {
        let selected = Int(draft.duration) ?? needs.maximumMinutes
        var fields: [TemplateValue] = [
            field("duration", "Duration", kind: "select", value: "", errors: errors,
                  hint: "At most \(DurationText.format(minutes: needs.maximumMinutes)).",
                  options: needs.durationChoices.map { minutes in
                      ["value": .string(String(minutes)), "label": .string(DurationText.format(minutes: minutes)),
                       "selected": .bool(minutes == selected)]
                  }),
            field("start", "Custom start time", kind: "datetime-local", value: draft.start, errors: errors,
                  hint: "Leave empty to start now (or at approval). Time zone: \(times.zoneName).", optional: true),
            field("justification", "Justification", kind: "textarea", value: draft.justification, errors: errors,
                  hint: "Why do you need this role now?", optional: !needs.requireJustification,
                  required: needs.requireJustification),
        ]
        if needs.requireTicket {
            fields.append(field("ticketSystem", "Ticket system", kind: "text", value: draft.ticketSystem, errors: errors,
                                hint: "For example: Jira, ServiceNow.", required: true))
            fields.append(field("ticketNumber", "Ticket number", kind: "text", value: draft.ticketNumber, errors: errors,
                                hint: "", required: true))
        }
        return .list(fields)
    }

    static func field(
        _ name: String, _ label: String, kind: String, value: String, errors: FormErrors, hint: String,
        optional: Bool = false, required: Bool = false, options: [TemplateValue] = [],
        autocomplete: String = "off", inputMode: String = "text"
    ) -> TemplateValue {
        [
            "name": .string(name), "label": .string(label), "kind": .string(kind), "value": .string(value),
            "error": .string(errors.message(for: name) ?? ""), "hint": .string(hint), "optional": .bool(optional),
            "required": .bool(required), "options": .list(options), "checked": .bool(false),
            "autocomplete": .string(autocomplete), "inputMode": .string(inputMode),
        ]
    }
}
