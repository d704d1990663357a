import Foundation
import GRDB

/// The Audit and My audit pages, CSV export and chain verification.
extension PIMQueries {
    /// One page of events, newest first; `before` is the seq of the last row of the previous page.
    public func auditPage(filter: AuditFilter, before: Int64? = nil, limit: Int = 50) async throws -> [AuditEvent] {
        try await store.readOffPool { db in
            let (sql, arguments) = try Self.auditPageQuery(filter, before: before, limit: limit, db)
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(AuditLog.event(from:))
        }
    }

    /// The SQL of one page. Every index walk goes in seq order and stops at `limit`, so a page
    /// costs a few seeks however many events match, where one query would sort them all:
    /// - a user: a walk of the events they did and one of those done to them by someone else
    ///   (`audit_by_target` holds only events whose target is not their actor);
    /// - a role without an action: one walk of `audit_by_role_action` per action of the role;
    /// - anything else: one walk.
    static func auditPageQuery(_ filter: AuditFilter, before: Int64?, limit: Int,
                               _ db: Database) throws -> (String, StatementArguments) {
        let walks: [(condition: String, arguments: StatementArguments)]
        if let user = filter.user, !user.isEmpty {
            var others = filter
            others.user = nil
            let (clause, arguments) = auditWhere(others, before: before)
            walks = [("actor = ? AND \(clause)", [user] + arguments),
                     ("target = ? AND target <> actor AND \(clause)", [user] + arguments)]
        } else if let role = filter.roleID, filter.action?.isEmpty ?? true {
            let (clause, arguments) = auditWhere(filter, before: before)
            walks = try actions(ofRole: role, db).map { ("action = ? AND \(clause)", [$0] + arguments) }
        } else {
            let (clause, arguments) = auditWhere(filter, before: before)
            return ("SELECT * FROM audit_event WHERE \(clause) ORDER BY seq DESC LIMIT ?", arguments + [limit])
        }
        guard !walks.isEmpty else { return ("SELECT * FROM audit_event WHERE 0", []) }
        let union = walks.map { "SELECT seq FROM (SELECT seq FROM audit_event WHERE \($0.condition) ORDER BY seq DESC LIMIT ?)" }
        var arguments: StatementArguments = []
        for walk in walks { arguments += walk.arguments + [limit] }
        return ("""
            SELECT * FROM audit_event WHERE seq IN (\(union.joined(separator: " UNION ALL ")))
            ORDER BY seq DESC LIMIT ?
            """, arguments + [limit])
    }

    /// The actions recorded for a role: a loose index scan, one seek per action.
    static func actions(ofRole role: Int64, _ db: Database) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: """
            WITH RECURSIVE seen(action) AS (
              SELECT (SELECT min(action) FROM audit_event WHERE role_id = ?1)
              UNION ALL
              SELECT (SELECT min(action) FROM audit_event WHERE role_id = ?1 AND action > seen.action)
              FROM seen WHERE seen.action IS NOT NULL
            )
            SELECT action FROM seen WHERE action IS NOT NULL
            """), arguments: [role])
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
            // The second term as `audit_by_target` holds it (the first covers the rest).
            clauses.append("(actor = ? OR (target = ? AND target <> actor))")
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
