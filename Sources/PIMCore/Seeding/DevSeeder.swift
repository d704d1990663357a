import Foundation
import GRDB

/// Fills a database with synthetic data at scale for benchmarks and demos. It writes rows
/// directly (not through the use cases) in large transactions, but keeps the audit chain valid.
public struct DevSeeder: Sendable {
    public struct Counts: Sendable {
        public var users: Int
        public var roles: Int
        public var assignments: Int
        public var audit: Int
        public var groups: Int

        public init(users: Int, roles: Int, assignments: Int, audit: Int, groups: Int = 0) {
            self.users = users
            self.roles = roles
            self.assignments = assignments
            self.audit = audit
            self.groups = groups > 0 ? groups : max(1, users / 50)
        }
    }

    public let store: PIMStore
    public let counts: Counts

    public init(store: PIMStore, counts: Counts) {
        self.store = store
        self.counts = counts
    }

    public var directory: SyntheticDirectory { SyntheticDirectory(users: counts.users, groups: counts.groups) }

    public func seed(progress: (String) -> Void = { _ in }) throws {
        let now = store.clock.now()
        var rng = SeededGenerator(seed: 42)
        let c = counts
        try store.pool.write { db in
            for i in 1...max(1, c.users) {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO user_profile (username, display_name, email, mfa_enrolled, last_sign_in_at, created_at)
                    VALUES (?, ?, ?, 1, ?, ?)
                    """, arguments: ["user\(i)", "User \(i)", "user\(i)@example.org", now, now])
            }
            try db.execute(sql: """
                INSERT OR IGNORE INTO user_profile (username, display_name, email, mfa_enrolled, created_at)
                VALUES ('admin', 'Administrator', 'admin@example.org', 1, ?)
                """, arguments: [now])
            let settings = try RoleSettings.defaults.jsonText()
            for r in 1...max(1, c.roles) {
                try db.execute(sql: "INSERT INTO role (name, description, created_at, updated_at) VALUES (?, ?, ?, ?)",
                               arguments: [String(format: "Role %05d", r), "Synthetic role \(r)", now, now])
                try db.execute(sql: "INSERT INTO role_settings (role_id, settings, updated_at, updated_by) VALUES (?, ?, ?, 'seed')",
                               arguments: [db.lastInsertedRowID, settings, now])
            }
            let admin = try Int64.fetchOne(db, sql: "SELECT id FROM role WHERE builtin = 'pimAdministrator'")!
            try db.execute(sql: """
                INSERT INTO assignment (role_id, principal_kind, principal_name, type, start_at, created_by, created_at)
                VALUES (?, 'user', 'admin', 'active', ?, 'seed', ?)
                """, arguments: [admin, now - 86_400 * 400, now])
        }
        progress("users and roles")
        let roleIDs = try store.pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM role WHERE builtin IS NULL") }
        let batch = 20_000
        var made = 0
        while made < c.assignments {
            try store.pool.write { db in
                for _ in 0..<min(batch, c.assignments - made) {
                    let role = roleIDs[rng.int(0..<roleIDs.count)]
                    let kindRoll = rng.int(0..<100)
                    let group = kindRoll < 10
                    let name = group ? "group\(rng.int(1..<(c.groups + 1)))" : "user\(rng.int(1..<(c.users + 1)))"
                    let type = kindRoll < 80 ? "eligible" : "active"
                    let start = now - Double(rng.int(0..<365)) * 86_400
                    let endRoll = rng.int(0..<100)
                    let end: Date? = endRoll < 50 ? nil : (endRoll < 75 ? now + Double(rng.int(1..<180)) * 86_400
                                                                          : now - Double(rng.int(0..<60)) * 86_400 - 60)
                    let activation = type == "active" && !group && rng.int(0..<2) == 0
                    let finalEnd: Date? = activation ? max(start, now - Double(rng.int(-8..<200)) * 3600) : (end.map { max($0, start) })
                    try db.execute(sql: """
                        INSERT INTO assignment (role_id, principal_kind, principal_name, type, start_at, end_at, is_activation,
                          created_by, created_at, ended_reason, reminder_level)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 'seed', ?, ?, 2)
                        """, arguments: [role, group ? "group" : "user", name, type, start, finalEnd, activation, start,
                                         (finalEnd.map { $0 <= now } ?? false) ? "expired" : nil])
                    made += 1
                    if made % 20 == 0 {
                        try seedRequest(db, role: role, user: "user\(rng.int(1..<(c.users + 1)))",
                                        pending: rng.int(0..<20) == 0, now: now)
                    }
                }
            }
            progress("assignments \(made)")
        }
        try seedAudit(count: c.audit, roles: roleIDs, now: now, rng: &rng, progress: progress)
    }

    private func seedRequest(_ db: Database, role: Int64, user: String, pending: Bool, now: Date) throws {
        try db.execute(sql: """
            INSERT INTO request (kind, status, role_id, principal_kind, principal_name, requester, justification,
              requested_start, duration_seconds, approvals_required, timeout_at, created_at, updated_at)
            VALUES ('selfActivate', ?, ?, 'user', ?, ?, 'synthetic', ?, 3600, 1, ?, ?, ?)
            """, arguments: [pending ? "PendingApproval" : "Provisioned", role, user, user, now, now + 86_400, now, now])
        let id = db.lastInsertedRowID
        let approver = id % 3 == 0 ? ("user", "user\(id % Int64(counts.users) + 1)") : ("pimAdministrators", "")
        try db.execute(sql: "INSERT INTO request_approver (request_id, kind, name) VALUES (?, ?, ?)",
                       arguments: [id, approver.0, approver.1])
    }

    private func seedAudit(count: Int, roles: [Int64], now: Date, rng: inout SeededGenerator, progress: (String) -> Void) throws {
        let actions = AuditAction.allCases.map(\.rawValue)
        let start = now - 365 * 86_400
        let step = count > 0 ? 365 * 86_400 / Double(count) : 0
        var written = 0
        while written < count {
            try store.pool.write { db in
                for _ in 0..<min(50_000, count - written) {
                    let role = roles[rng.int(0..<roles.count)]
                    let user = "user\(rng.int(1..<(counts.users + 1)))"
                    try AuditLog.append(AuditEventDraft(
                        time: start + Double(written) * step, actor: rng.int(0..<4) == 0 ? "admin" : user,
                        action: actions[rng.int(0..<actions.count)], target: user, roleID: role,
                        roleName: String(format: "Role %05d", role), requestID: nil, assignmentID: nil,
                        justification: "synthetic event", result: .success, sourceAddress: "10.0.0.\(rng.int(1..<255))"), in: db)
                    written += 1
                }
            }
            progress("audit \(written)")
        }
    }
}
