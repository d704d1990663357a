import Foundation
import GRDB
import Testing
@testable import PIMCore

/// The audit pages walk indexes that hold fewer entries than the table (see migration
/// core-12): these check every filter against a plain reading of the whole log, and that the
/// walks really are index walks.
struct AuditQueryTests {
    static let actors = ["alice", "bob", "root"]
    static let targets: [String?] = ["alice", "bob", nil, "ops", "root"]
    static let actions = ["roleActivated", "assignmentAdded", "signIn", "requestApproved"]

    /// 90 events mixing self-actions, actions on others, events without a target or a role.
    static func seed(_ f: Fixture) async throws -> [AuditEvent] {
        let start = f.clock.now()
        try await f.store.pool.write { db in
            for n in 0..<90 {
                let role: Int64? = n % 4 == 3 ? nil : Int64(n % 3 + 1)
                let draft = AuditEventDraft(time: start + Double(n * 3_600), actor: actors[n % 3], action: actions[n / 2 % 4],
                                            target: targets[n % 5], roleID: role, roleName: role.map { "role \($0)" })
                try AuditLog.append(draft, in: db)
            }
        }
        return try await f.store.pool.read { try Row.fetchAll($0, sql: "SELECT * FROM audit_event").map(AuditLog.event(from:)) }
    }

    static func matches(_ event: AuditEvent, _ filter: AuditFilter) -> Bool {
        if let role = filter.roleID, event.roleID != role { return false }
        if let user = filter.user, event.actor != user, event.target != user { return false }
        if let action = filter.action, event.action != action { return false }
        if let since = filter.since, event.time < since { return false }
        if let until = filter.until, event.time >= until { return false }
        return true
    }

    @Test func everyFilterPagesThroughExactlyTheMatchingEvents() async throws {
        let f = try await Fixture.make(bootstrap: false)
        let all = try await Self.seed(f)
        let middle = f.clock.now() + 30 * 3_600
        var filters: [AuditFilter] = []
        for user in [nil, "alice", "bob", "ops", "nobody"] {
            for role in [nil, 1, 2, 9] as [Int64?] {
                for action in [nil, "roleActivated", "signIn"] {
                    filters.append(AuditFilter(roleID: role, user: user, action: action))
                }
            }
        }
        filters += [AuditFilter(since: middle, roleID: 2), AuditFilter(until: middle, user: "bob"),
                    AuditFilter(since: middle, until: middle + 20 * 3_600, roleID: 1, user: "alice")]
        for filter in filters {
            let expected = all.filter { Self.matches($0, filter) }.map(\.seq)
            var paged: [Int64] = []
            var before: Int64?
            while true {
                let page = try await f.queries.auditPage(filter: filter, before: before, limit: 7)
                paged += page.map(\.seq)
                guard page.count == 7 else { break }
                before = page.last?.seq
            }
            #expect(paged == expected.reversed(), "\(filter)")
            var exported: [Int64] = []
            try f.queries.exportAudit(filter: filter) { exported.append($0.seq) }
            #expect(exported == expected, "\(filter)")
        }
    }

    @Test func pagesWalkIndexesInSeqOrderInsteadOfSortingEveryMatch() async throws {
        let f = try await Fixture.make(bootstrap: false)
        _ = try await Self.seed(f)
        func plan(_ filter: AuditFilter) async throws -> [String] {
            try await f.store.pool.read { db in
                let (sql, arguments) = try PIMQueries.auditPageQuery(filter, before: 80, limit: 50, db)
                return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
            }
        }
        let user = try await plan(AuditFilter(user: "alice"))
        #expect(user.contains { $0.contains("INDEX audit_by_actor (") }, "\(user)")
        #expect(user.contains { $0.contains("INDEX audit_by_target (") }, "\(user)")
        let role = try await plan(AuditFilter(roleID: 1))
        #expect(role.filter { $0.contains("INDEX audit_by_role_action (role_id=? AND action=? AND seq<?)") }.count == Self.actions.count, "\(role)")
        for steps in [user, role] {
            // Only the page itself (a few rows per walk) may be sorted, never a walk's matches.
            #expect(!steps.contains { $0.hasPrefix("SCAN audit_event") }, "\(steps)")
            #expect(steps.filter { $0.contains("TEMP B-TREE") }.count <= 1, "\(steps)")
        }
    }

    @Test func theTargetIndexLeavesOutEventsWhoseTargetIsTheirActor() async throws {
        let f = try await Fixture.make(bootstrap: false)
        let all = try await Self.seed(f)
        let indexed = try await f.store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event INDEXED BY audit_by_target WHERE target = 'alice' AND target <> actor")!
        }
        #expect(indexed == all.filter { $0.target == "alice" && $0.actor != "alice" }.count)
        #expect(indexed < all.filter { $0.target == "alice" }.count)
    }
}
