import Foundation
import Testing
@testable import PIMCore

struct QueryTests {
    @Test func myRolesSplitsEligibleActiveAndExpired() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        let other = try await f.role("Other")
        try await f.eligible(.user("alice"), role)
        try await f.eligible(.group("ops"), other, end: f.clock.now() + 3600)
        _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice"))
        var mine = try await f.queries.myRoles(username: "alice")
        #expect(mine.eligible.map(\.roleName).sorted() == ["Database Administrator", "Other"])
        #expect(mine.active.map(\.roleName) == ["Database Administrator"])
        f.clock.advance(by: 3600)
        mine = try await f.queries.myRoles(username: "alice")
        #expect(mine.eligible.map(\.roleName) == ["Database Administrator"])
        #expect(Set(mine.expired.map(\.roleName)) == ["Database Administrator", "Other"])
    }

    @Test func rolesListCountsCurrentAssignmentsAndSearches() async throws {
        let f = try await Fixture.make()
        let role = try await f.role("Web sudo")
        _ = try await f.service.assign(roleID: role.id, members: [.user("alice"), .user("bob")], type: .eligible,
                                       justification: "x", by: f.admin)
        _ = try await f.service.assign(roleID: role.id, members: [.user("carol")], type: .active,
                                       end: f.clock.now() + 86_400, justification: "x", by: f.admin)
        let found = try await f.queries.roles(search: "web")
        #expect(found.count == 1)
        #expect(found[0].eligibleCount == 2 && found[0].activeCount == 1 && found[0].permanentActiveCount == 0)
        let admins = try #require(try await f.queries.roles(search: "PIM").first)
        #expect(admins.permanentActiveCount == 1)
        #expect(try await f.queries.roles(search: "%").isEmpty, "wildcards are literal")
    }

    @Test func roleAssignmentsArePagedById() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        _ = try await f.service.assign(roleID: role.id, members: ["alice", "bob", "carol", "dave", "erin"].map(PrincipalRef.user),
                                       type: .eligible, justification: "x", by: f.admin)
        let first = try await f.queries.roleAssignments(roleID: role.id, tab: .eligible, limit: 2)
        let second = try await f.queries.roleAssignments(roleID: role.id, tab: .eligible, after: first.last?.id, limit: 2)
        let third = try await f.queries.roleAssignments(roleID: role.id, tab: .eligible, after: second.last?.id, limit: 2)
        #expect(first.count == 2 && second.count == 2 && third.count == 1)
        #expect(Set((first + second + third).map(\.id)).count == 5)
    }

    @Test func auditPageFiltersByRoleUserActionAndDate() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        try await f.eligible(.user("alice"), role)
        f.clock.advance(by: 86_400 * 2)
        try await f.eligible(.user("bob"), role)
        _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("bob"))
        #expect(try await f.queries.auditPage(filter: AuditFilter(roleID: role.id)).count == 4)
        #expect(try await f.queries.auditPage(filter: AuditFilter(user: "bob")).map(\.action) == ["roleActivated", "assignmentAdded"])
        #expect(try await f.queries.auditPage(filter: AuditFilter(action: "assignmentAdded")).map(\.target) == ["bob", "alice"])
        let recent = try await f.queries.auditPage(filter: AuditFilter(since: f.clock.now() - 86_400))
        #expect(recent.map(\.action) == ["roleActivated", "assignmentAdded"])
        let page1 = try await f.queries.auditPage(filter: AuditFilter(), limit: 2)
        let page2 = try await f.queries.auditPage(filter: AuditFilter(), before: page1.last?.seq, limit: 2)
        #expect(page1.map(\.seq) == [5, 4] && page2.map(\.seq) == [3, 2])
        let bobFirst = try await f.queries.auditPage(filter: AuditFilter(user: "bob"), limit: 1)
        let bobNext = try await f.queries.auditPage(filter: AuditFilter(user: "bob"), before: bobFirst.last?.seq, limit: 1)
        #expect(bobFirst.map(\.action) == ["roleActivated"] && bobNext.map(\.action) == ["assignmentAdded"])
        #expect(try await f.queries.auditPage(filter: AuditFilter(user: "root", action: "roleCreated")).map(\.actor) == ["root"])
        #expect(try await f.queries.auditPage(filter: AuditFilter(until: f.clock.now() - 86_400 * 30)).isEmpty)
        #expect(try await f.queries.auditPage(filter: AuditFilter(since: f.clock.now() + 1)).isEmpty)
        var exported: [Int64] = []
        try f.queries.exportAudit(filter: AuditFilter(until: f.clock.now() - 86_400)) { exported.append($0.seq) }
        #expect(exported == [1, 2, 3])
    }

    @Test func attentionCountsWhatAwaitsTheUser() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.activation.requireApproval = true }
        try await f.eligible(.user("alice"), role, end: f.clock.now() + 86_400 * 3)
        _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice"))
        let admin = try await f.queries.attention(for: "root")
        #expect(admin.pendingApprovals == 1 && admin.activeRoles == 1)
        let alice = try await f.queries.attention(for: "alice")
        #expect(alice.myPendingRequests == 1 && alice.expiringSoon.count == 1 && alice.pendingApprovals == 0)
    }
}
