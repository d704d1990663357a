import Foundation
import PIMCore
import PIMTemplates

/// Template values for the rows the Tasks pages list. Dates stay dates: templates format them in
/// the configured zone (`date(…, tz)`) and relative to the request (`relative`).
enum RowViews {
    /// A list of assignment rows: one view answers for every row (no object or copy per row).
    static func assignments(_ rows: [RoleAssignmentRow], now: Date) -> TemplateValue {
        .rows(AssignmentRowsView(rows, now: now))
    }

    static func request(_ row: RequestRow, directory: any Directory) -> TemplateValue {
        let r = row.request
        let requester = directory.user(named: r.requester)?.displayName ?? r.requester
        let ticket = [r.ticketSystem, r.ticketNumber].compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: " ")
        let tone = badge(for: r.status)
        return [
            "id": .int(Int(r.id)),
            "roleID": .int(Int(r.roleID)),
            "roleName": .string(row.roleName),
            "kind": .string(kindLabel(r.kind)),
            "requester": .string(r.requester),
            "requesterName": .string(requester),
            "principal": .string(r.principal.description),
            "justification": .string(r.justification ?? ""),
            "ticket": .string(ticket),
            "start": .optional(r.requestedStart, TemplateValue.date),
            "duration": .string(r.durationSeconds.map { DurationText.format(seconds: TimeInterval($0)) } ?? ""),
            "created": .date(r.createdAt),
            "timeout": .optional(r.timeoutAt, TemplateValue.date),
            "status": ["text": .string(tone.text), "tone": .string(tone.tone)],
            "isPending": .bool(r.status == .pendingApproval),
            "approvals": .string(r.approvalsRequired > 1
                ? "\(row.decisions.filter { $0.decision == .approve }.count) of \(r.approvalsRequired) approvals" : ""),
        ]
    }

    static func kindLabel(_ kind: RequestKind) -> String {
        switch kind {
        case .selfActivate: "Activate"
        case .selfDeactivate: "Deactivate"
        case .selfExtend: "Extend"
        case .selfRenew: "Renew"
        case .adminAssign: "Assign"
        case .adminUpdate: "Update"
        case .adminRemove: "Remove"
        case .adminExtend: "Extend (admin)"
        case .adminRenew: "Renew (admin)"
        }
    }

    static func badge(for status: RequestStatus) -> (text: String, tone: String) {
        switch status {
        case .pendingApproval: ("Pending approval", "warning")
        case .approved: ("Approved", "info")
        case .provisioned: ("Done", "success")
        case .denied: ("Denied", "danger")
        case .canceled: ("Canceled", "neutral")
        case .timedOut: ("Timed out", "neutral")
        case .revoked: ("Revoked", "neutral")
        case .failed: ("Failed", "danger")
        }
    }

    /// For `<time datetime>` (and the countdown script): what ISO8601DateFormatter's default
    /// gives ("2026-11-25T14:30:00Z"), without a formatter per row.
    static func iso(_ date: Date) -> String { isoPattern.format(date, in: .gmt) }

    private static let isoPattern: DatePattern = {
        do { return try DatePattern("yyyy-MM-dd'T'HH:mm:ss'Z'") } catch { preconditionFailure("\(error)") }
    }()

    /// The tabs partial's value.
    static func tabs(label: String, base: String, current: String, items: [(key: String, label: String, count: Int?)]) -> TemplateValue {
        [
            "label": .string(label),
            "items": .list(items.map { item in
                .object(LinkView(label: item.label, href: base + "?tab=" + item.key, current: item.key == current, count: item.count))
            }),
        ]
    }
}
