import Foundation
import GRDB

/// One audit event as the Activity pages show it.
struct AuditRow: Sendable, Equatable {
    var seq: Int64
    var time: Date
    var actor: String
    var action: String
    var target: String?
    var roleID: Int64?
    var roleName: String?
    var requestID: Int64?
    var justification: String?
    var ticket: String?
    var result: String
    var sourceAddress: String?
    var details: String

    init(row: Row) {
        seq = row["seq"]
        time = row["time"]
        actor = row["actor"]
        action = row["action"]
        target = row["target"]
        roleID = row["role_id"]
        roleName = row["role_name"]
        requestID = row["request_id"]
        justification = row["justification"]
        ticket = row["ticket"]
        result = row["result"]
        sourceAddress = row["source_address"]
        details = row["details"]
    }
}

/// Reads the audit log with an `AuditFilter`, newest first, in keyset pages (by `seq`) so that
/// neither a page nor an export depends on the size of the log. Bound parameters only.
enum AuditQuery {
    static let columns = """
        seq, time, actor, action, target, role_id, role_name, request_id, justification, ticket,
        result, source_address, details
        """

    /// WHERE clause and its arguments; `before` overrides the filter's own paging key.
    static func whereClause(_ filter: AuditFilter, before: Int64?) -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let from = filter.from {
            clauses.append("time >= ?")
            arguments += [from]
        }
        if let to = filter.to {
            clauses.append("time < ?")
            arguments += [to]
        }
        if let roleID = filter.roleID {
            clauses.append("role_id = ?")
            arguments += [roleID]
        }
        if !filter.user.isEmpty {
            clauses.append("(actor = ? OR target = ?)")
            arguments += [filter.user, filter.user]
        }
        if !filter.action.isEmpty {
            clauses.append("action = ?")
            arguments += [filter.action]
        }
        if let scope = filter.scopeUser {
            clauses.append("(actor = ? OR target = ?)")
            arguments += [scope, scope]
        }
        if let before {
            clauses.append("seq < ?")
            arguments += [before]
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    /// One page of events, and whether older ones match too.
    struct Page: Sendable {
        var rows: [AuditRow]
        var hasMore: Bool
    }

    static func page(_ filter: AuditFilter, size: Int, in db: Database) throws -> Page {
        let (whereSQL, arguments) = whereClause(filter, before: filter.before)
        let rows = try Row.fetchAll(
            db, sql: "SELECT \(columns) FROM audit_event \(whereSQL) ORDER BY seq DESC LIMIT \(size + 1)",
            arguments: arguments)
        return Page(rows: rows.prefix(size).map(AuditRow.init(row:)), hasMore: rows.count > size)
    }

    /// Walks up to `limit` events older than `before` through a cursor (one row in memory at a
    /// time), handing each to `body`; returns the last seq seen, or nil when none matched.
    static func forEach(
        _ filter: AuditFilter, before: Int64?, limit: Int, in db: Database, _ body: (AuditRow) throws -> Void
    ) throws -> Int64? {
        let (whereSQL, arguments) = whereClause(filter, before: before)
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT \(columns) FROM audit_event \(whereSQL) ORDER BY seq DESC LIMIT \(limit)",
            arguments: arguments)
        var last: Int64?
        while let row = try cursor.next() {
            let event = AuditRow(row: row)
            last = event.seq
            try body(event)
        }
        return last
    }

    /// The actions recorded so far, for the filter's select.
    static func actions(in db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT action FROM audit_event ORDER BY action")
    }
}
