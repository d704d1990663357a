import Foundation
import GRDB

/// The Audit and My audit pages, CSV export and chain verification.
extension PIMQueries {
    /// One page of events, newest first; `before` is the seq of the last row of the previous page.
    public func auditPage(filter: AuditFilter, before: Int64? = nil, limit: Int = 50) async throws -> [AuditEvent] {
        try await store.readOffPool { db in
            if let user = filter.user, !user.isEmpty {
                // Actor or target: two index walks in seq order, each stopped at `limit`,
                // instead of one OR that would sort every event of a busy actor.
                var one = filter, other = filter
                one.user = nil
                other.user = nil
                let (clause, arguments) = Self.auditWhere(one, before: before)
                return try Row.fetchAll(db, sql: """
                    SELECT * FROM audit_event WHERE seq IN (
                      SELECT seq FROM (SELECT seq FROM audit_event WHERE actor = ? AND \(clause) ORDER BY seq DESC LIMIT ?)
                      UNION ALL
                      SELECT seq FROM (SELECT seq FROM audit_event WHERE target = ? AND \(clause) ORDER BY seq DESC LIMIT ?))
                    ORDER BY seq DESC LIMIT ?
                    """, arguments: [user] + arguments + [limit, user] + Self.auditWhere(other, before: before).1 + [limit, limit])
                    .map(AuditLog.event(from:))
            }
            let (clause, arguments) = Self.auditWhere(filter, before: before)
            return try Row.fetchAll(db, sql: "SELECT * FROM audit_event WHERE \(clause) ORDER BY seq DESC LIMIT ?",
                                    arguments: arguments + [limit]).map(AuditLog.event(from:))
        }
    }

    /// Streams matching events oldest first to `each` through a cursor (no full load). Runs on
    /// the calling thread; call it off the cooperative pool for large exports.
    public func exportAudit(filter: AuditFilter, each: (AuditEvent) throws -> Void) throws {
        try store.pool.read { db in
            let (clause, arguments) = Self.auditWhere(filter, before: nil)
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit_event WHERE \(clause) ORDER BY seq",
                                             arguments: arguments)
            while let row = try cursor.next() { try each(AuditLog.event(from: row)) }
        }
    }

    /// Walks the chain (see `AuditLog.verify`).
    public func verifyAudit() throws -> AuditVerification {
        try store.pool.read { try AuditLog.verify($0) }
    }

    static func auditWhere(_ filter: AuditFilter, before: Int64?) -> (String, StatementArguments) {
        var clauses = ["1"]
        var arguments: StatementArguments = []
        if let before { clauses.append("seq < ?"); arguments += [before] }
        if let since = filter.since {
            let bound = AuditLog.since(since)
            clauses.append(bound.sql)
            arguments += bound.arguments
        }
        if let until = filter.until {
            let bound = AuditLog.before(until)
            clauses.append(bound.sql)
            arguments += bound.arguments
        }
        if let role = filter.roleID { clauses.append("role_id = ?"); arguments += [role] }
        if let user = filter.user, !user.isEmpty {
            clauses.append("(actor = ? OR target = ?)")
            arguments += [user, user]
        }
        if let action = filter.action, !action.isEmpty { clauses.append("action = ?"); arguments += [action] }
        return (clauses.joined(separator: " AND "), arguments)
    }
}

/// RFC 4180 CSV of audit events, UTF-8, with cells that a spreadsheet would run as a formula
/// (starting with = + - @, tab or CR) neutralised by a leading apostrophe.
public enum AuditCSV {
    public static let header = ["seq", "time", "actor", "action", "role", "member", "justification", "ticket",
                                "result", "request id", "source address", "details", "hash"]

    public static func line(_ fields: [String]) -> String {
        fields.map(cell).joined(separator: ",") + "\r\n"
    }

    public static func line(for event: AuditEvent) -> String {
        line([String(event.seq), event.timeText + "Z", event.actor, event.action, event.roleName ?? "", event.target ?? "",
              event.justification ?? "", event.ticket ?? "", event.result, event.requestID.map(String.init) ?? "",
              event.sourceAddress ?? "", event.details, event.hash])
    }

    static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { text = "'" + text }
        if text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}
