import Foundation
import HTTPTypes
import PIMCore
import PIMTemplates

/// A role's page: its Eligible / Active / Expired assignments with the per-row actions
/// (Update, Remove, Extend, Renew, Revoke), which administrators alone see.
enum RolePage {
    /// A row action that failed validation: its form opens again with what was typed and why.
    struct OpenAction: Sendable {
        var assignmentID: Int64
        var action: String
        var values: [String: String]
        var message: String
    }

    static func show(_ context: AppContext) async throws -> PortalResponse {
        let tab = AssignmentTab(rawValue: context.query.trimmed("tab")) ?? .eligible
        return try await render(context, roleID: try context.idParameter(), tab: tab)
    }

    static func render(
        _ context: AppContext, roleID: Int64, tab: AssignmentTab, open: OpenAction? = nil,
        status: HTTPResponse.Status = .ok, topError: String? = nil
    ) async throws -> PortalResponse {
        let now = context.now
        let queries = context.environment.queries
        guard let role = try await queries.role(id: roleID) else { throw PageError.notFound }
        var counts: [AssignmentTab: Int] = [:]
        var rows: [Assignment] = []
        for each in AssignmentTab.allCases {
            let found = try await queries.roleAssignments(roleID: roleID, tab: each, limit: 1000)
            counts[each] = found.count
            if each == tab { rows = found }
        }
        let canManage = context.roles.canManage
        let times = context.times
        let tabs: TemplateValue = [
            "label": "Assignment tabs",
            "items": .list(AssignmentTab.allCases.map { each in
                [
                    "href": .string("/roles/\(roleID)?tab=\(each.rawValue)"), "label": .string(each.label),
                    "current": .bool(each == tab), "ariaCurrent": .string(each == tab ? "page" : "false"),
                    "count": .int(counts[each] ?? 0),
                ]
            }),
        ]
        let rowValues: [TemplateValue] = rows.map { row in
            let user = row.principal.kind == .user ? context.environment.directory.user(named: row.principal.name) : nil
            let state = stateBadge(row, now: now)
            return [
                "id": .int(Int(row.id)), "member": .string(row.principal.description),
                "memberNote": .string(user.map { $0.displayName == row.principal.name ? "" : $0.displayName } ?? ""),
                "typeLabel": .string(row.isActivation ? "Activated" : row.type.rawValue.capitalized),
                "state": .string(state.text), "stateTone": .string(state.tone),
                "start": .string(times.full(row.start)),
                "end": .string(row.end.map(times.full) ?? "Permanent"),
                "endAt": row.end.map(TemplateValue.date) ?? .null,
                "createdBy": .string(row.createdBy),
                "actions": canManage ? .list(actions(for: row, now: now, times: times, open: open)) : .list([]),
            ]
        }
        return try context.page(
            "pages/role", title: role.name,
            breadcrumbs: [Crumb("Manage"), Crumb("Roles", "/roles"), Crumb(role.name)],
            values: [
                "role": ["id": .int(Int(roleID)), "name": .string(role.name),
                         "description": .string(role.description), "builtIn": .bool(role.builtIn != nil)],
                "tabs": tabs, "tabLabel": .string(tab.label), "rows": .list(rowValues), "canManage": .bool(canManage),
                "form": ["errors": .list(topError.map { [["field": .null, "message": .string($0)]] } ?? [])],
            ],
            status: status)
    }

    static func stateBadge(_ row: Assignment, now: Date) -> (text: String, tone: String) {
        if let reason = row.endedReason { return (reason.rawValue.capitalized, "neutral") }
        if let end = row.end, end <= now { return ("Expired", "neutral") }
        if row.start > now { return ("Scheduled", "info") }
        if let end = row.end, end.timeIntervalSince(now) < 14 * 86_400 { return ("Expiring soon", "warning") }
        return ("Current", "success")
    }

    /// The actions a row offers, each with its form fields (a plain button when it needs none).
    static func actions(for row: Assignment, now: Date, times: TimeText, open: OpenAction?) -> [TemplateValue] {
        var names: [String] = []
        switch row.tab(at: now) {
        case .eligible, .active:
            if row.isActivation {
                names = ["revoke"]
            } else {
                names = ["update"] + (row.end != nil ? ["extend"] : []) + ["remove"]
            }
        case .expired:
            if !row.isActivation, row.endedReason != .removed { names = ["renew"] }
        }
        return names.map { name in
            let isOpen = open?.assignmentID == row.id && open?.action == name
            var defaults: [String: String] = [
                "start": times.inputValue(row.start), "end": row.end.map(times.inputValue) ?? "",
                "permanent": row.end == nil ? "on" : "", "justification": "",
            ]
            if name == "extend" || name == "renew" {
                defaults["end"] = times.inputValue(max(row.end ?? now, now) + 30 * 86_400)
            }
            if name == "renew" { defaults["start"] = times.inputValue(now) }
            let values = isOpen ? (open?.values ?? defaults) : defaults
            let prefix = "a\(row.id)-\(name)-"
            func input(_ field: String, _ label: String, _ kind: String) -> TemplateValue {
                [
                    "id": .string(prefix + field), "name": .string(field), "label": .string(label), "kind": .string(kind),
                    "value": .string(values[field] ?? ""), "checked": .bool((values[field] ?? "") == "on"),
                ]
            }
            let fields: [TemplateValue]
            switch name {
            case "update":
                fields = [input("start", "Start", "datetime-local"), input("end", "End", "datetime-local"),
                          input("permanent", "Permanent (no end)", "checkbox"), input("justification", "Justification", "textarea")]
            case "extend":
                fields = [input("end", "New end", "datetime-local"), input("justification", "Justification", "textarea")]
            case "renew":
                fields = [input("start", "Start", "datetime-local"), input("end", "End", "datetime-local"),
                          input("justification", "Justification", "textarea")]
            default:
                // Remove and Revoke ask once more, with room for the reason (kept in the audit).
                fields = [input("justification", "Reason (optional)", "textarea")]
            }
            let destructive = name == "remove" || name == "revoke"
            return [
                "name": .string(name), "label": .string(name.capitalized), "fields": .list(fields),
                "tone": .string(destructive ? "button-danger" : "button-secondary"),
                "open": .bool(isOpen), "error": .string(isOpen ? open?.message ?? "" : ""),
            ]
        }
    }
}

extension AssignmentTab {
    var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

extension Assignment {
    /// The role page tab the assignment appears on at `now`.
    func tab(at now: Date) -> AssignmentTab {
        if endedReason != nil || hasEnded(at: now) { return .expired }
        return type == .eligible ? .eligible : .active
    }
}
