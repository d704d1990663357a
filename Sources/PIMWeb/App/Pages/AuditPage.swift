import Foundation
import HTTPTypes
import PIMTemplates

/// Activity → Audit (PIM Administrators and Security Readers: every event) and My audit
/// (everyone: events where I am the actor or the member), with filters, keyset paging and the
/// CSV download of exactly what the filters select.
enum AuditPage {
    static let pageSize = 50

    static func audit(_ context: AppContext) async throws -> PortalResponse {
        try await render(context, mine: false)
    }

    static func myAudit(_ context: AppContext) async throws -> PortalResponse {
        try await render(context, mine: true)
    }

    static func auditCSV(_ context: AppContext) async throws -> PortalResponse {
        csv(context, mine: false)
    }

    static func myAuditCSV(_ context: AppContext) async throws -> PortalResponse {
        csv(context, mine: true)
    }

    static func filter(_ context: AppContext, mine: Bool) -> AuditFilter {
        var query: [String: String] = [:]
        for field in context.query.fields { query[field.name] = field.value }
        return AuditFilter(query: query, now: context.now, timeZone: context.timeZone,
                           scopeUser: mine ? context.username : nil)
    }

    private static func render(_ context: AppContext, mine: Bool) async throws -> PortalResponse {
        var filter = filter(context, mine: mine)
        let valid = filter.errors.isEmpty
        if !valid { filter.from = nil; filter.to = nil }
        let (page, roles, actions) = try await context.store.pool.read { [filter] db in
            let page: AuditQuery.Page = valid ? try AuditQuery.page(filter, size: pageSize, in: db) : AuditQuery.Page(rows: [], hasMore: false)
            return (page, try RoleQueries.names(in: db), try AuditQuery.actions(in: db))
        }
        var errors = FormErrors()
        for field in ["from", "to"] { if let message = filter.errors[field] { errors.add(field, message) } }
        let basePath = mine ? "/my-audit" : "/audit"
        let query = filter.queryString
        let olderHref: String? = page.hasMore ? page.rows.last.map { "\(basePath)?\(query)&before=\($0.seq)" } : nil
        let events = page.rows.map(eventValue)
        return try context.page(
            "pages/audit", title: mine ? "My audit" : "Audit",
            breadcrumbs: [Crumb("Activity"), Crumb(mine ? "My audit" : "Audit")],
            values: [
                "basePath": .string(basePath), "csvHref": .string("\(basePath).csv?\(query)"),
                "newestHref": .string("\(basePath)?\(query)"), "olderHref": olderHref.map(TemplateValue.string) ?? .null,
                "paged": .bool(filter.before != nil),
                "events": .list(events),
                "filter": ["from": .string(filter.customFrom), "to": .string(filter.customTo), "user": .string(filter.user)],
                "ranges": FormValues.options(AuditFilter.Preset.allCases.map { ($0.rawValue, $0.label) },
                                             selected: filter.preset.rawValue),
                "roles": FormValues.options(roles.map { (String($0.id), $0.name) }, selected: filter.roleID.map(String.init) ?? ""),
                "actions": FormValues.options(actions.map { ($0, $0) }, selected: filter.action),
                "e": FormValues.errors(errors, fields: ["from", "to"]),
                "form": FormValues.form(errors),
            ])
    }

    private static func eventValue(_ event: AuditRow) -> TemplateValue {
        var value: [String: TemplateValue] = [
            "time": .date(event.time), "actor": .string(event.actor), "action": .string(event.action),
            "details": .string(event.details), "role": .string(event.roleName ?? ""), "target": .string(event.target ?? ""),
        ]
        value["justification"] = .string(event.justification ?? "")
        value["ticket"] = .string(event.ticket ?? "")
        value["result"] = .string(event.result)
        value["resultTone"] = .string(event.result == "success" ? "success" : "danger")
        value["requestID"] = .string(event.requestID.map(String.init) ?? "")
        value["source"] = .string(event.sourceAddress ?? "")
        return .dict(value)
    }

    /// The CSV download, streamed batch by batch (see `AuditExport`).
    private static func csv(_ context: AppContext, mine: Bool) -> PortalResponse {
        var filter = filter(context, mine: mine)
        filter.before = nil
        if !filter.errors.isEmpty { filter.from = nil; filter.to = nil }
        let export = AuditExport(pool: context.store.pool, filter: filter, timeZone: context.timeZone)
        var fields = HTTPFields()
        fields[.contentType] = "text/csv; charset=utf-8; header=present"
        let stamp = context.times.inputValue(context.now).replacingOccurrences(of: ":", with: "")
        fields[.contentDisposition] = "attachment; filename=\"\(mine ? "my-audit" : "audit")-\(stamp).csv\""
        return PortalResponse(status: .ok, headerFields: fields, stream: { write in try await export.stream(write) })
    }
}
