import Foundation
import GRDB
import HTTPTypes
import PIMCore
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

    static func form(_ context: AppContext, mine: Bool) -> AuditFilterForm {
        var query: [String: String] = [:]
        for field in context.query.fields { query[field.name] = field.value }
        return AuditFilterForm(query: query, now: context.now, timeZone: context.timeZone,
                               scopeUser: mine ? context.username : nil)
    }

    private static func render(_ context: AppContext, mine: Bool) async throws -> PortalResponse {
        let form = form(context, mine: mine)
        let queries = context.environment.queries
        let fetched = try await queries.auditPage(filter: form.filter, before: form.before, limit: pageSize + 1)
        let events = Array(fetched.prefix(pageSize))
        let roles = try await queries.roles(limit: 1000)
        let actions = try await context.store.readOffPool { try recordedActions(in: $0) }
        var errors = FormErrors()
        for field in ["from", "to"] { if let message = form.errors[field] { errors.add(field, message) } }
        let basePath = mine ? "/my-audit" : "/audit"
        let query = form.queryString
        let olderHref: String? = fetched.count > pageSize ? events.last.map { "\(basePath)?\(query)&before=\($0.seq)" } : nil
        return try context.page(
            "pages/audit", title: mine ? "My audit" : "Audit",
            breadcrumbs: [Crumb("Activity"), Crumb(mine ? "My audit" : "Audit")],
            values: [
                "basePath": .string(basePath), "csvHref": .string("\(basePath).csv?\(query)"),
                "newestHref": .string("\(basePath)?\(query)"), "olderHref": olderHref.map(TemplateValue.string) ?? .null,
                "paged": .bool(form.before != nil), "mine": .bool(mine),
                "events": .list(events.map(eventValue)),
                // A date input can only hold a valid date: what could not be read is named in the message.
                "filter": ["from": .string(form.errors["from"] == nil ? form.customFrom : ""),
                           "to": .string(form.errors["to"] == nil ? form.customTo : ""), "user": .string(form.user)],
                "ranges": FormValues.options(AuditFilterForm.Preset.allCases.map { ($0.rawValue, $0.label) },
                                             selected: form.preset.rawValue),
                "roles": FormValues.options(roles.map { (String($0.id), $0.name) }, selected: form.roleID.map(String.init) ?? ""),
                "actions": FormValues.options(actions.map { ($0, $0) }, selected: form.action),
                "e": FormValues.errors(errors, fields: ["from", "to"]),
                "form": FormValues.form(errors),
            ])
    }

    /// The actions the log holds, for the filter: a loose index scan (one seek per distinct
    /// action on `audit_by_action`), so a log of millions of events costs a few dozen seeks,
    /// not a scan.
    static func recordedActions(in db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            WITH RECURSIVE seen(action) AS (
              SELECT min(action) FROM audit_event
              UNION ALL
              SELECT (SELECT min(action) FROM audit_event WHERE action > seen.action) FROM seen WHERE seen.action IS NOT NULL
            )
            SELECT action FROM seen WHERE action IS NOT NULL
            """)
    }

    private static func eventValue(_ event: AuditEvent) -> TemplateValue {
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
        let export = AuditExport(queries: context.environment.queries, filter: form(context, mine: mine).filter)
        var fields = HTTPFields()
        fields[.contentType] = "text/csv; charset=utf-8; header=present"
        let stamp = context.times.inputValue(context.now).replacingOccurrences(of: ":", with: "")
        fields[.contentDisposition] = "attachment; filename=\"\(mine ? "my-audit" : "audit")-\(stamp).csv\""
        return PortalResponse(status: .ok, headerFields: fields, stream: { write in try await export.stream(write) })
    }
}
