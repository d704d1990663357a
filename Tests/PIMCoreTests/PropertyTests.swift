import Foundation
import GRDB
import Testing
@testable import PIMCore

/// Random sequences of operations and clock advances; after every step the invariants of
/// SPEC.md's Rules must hold whatever was refused along the way.
struct PropertyTests {
    static let people = ["root", "alice", "bob", "carol", "dave", "erin"]

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func invariantsHoldOverRandomOperations(seed: UInt64) async throws {
        let f = try await Fixture.make()
        var rng = SeededGenerator(seed: seed)
        let adminRole = try #require(try await f.queries.roles().first { $0.builtIn == .pimAdministrator })
        var roles: [Role] = [try #require(try await f.queries.role(id: adminRole.id))]
        for i in 0..<3 {
            let approvals = 1 + rng.int(2)
            roles.append(try await f.role("Role \(i)") {
                $0.activation.maximumDurationMinutes = 30 * (1 + rng.int(4))
                $0.activation.requireMFA = false
                $0.activation.requireApproval = i > 0
                $0.activation.approvalsRequired = approvals
                $0.activation.approverGroups = i == 2 ? ["approvers"] : []
                $0.activation.approvalTimeoutHours = 1 + rng.int(3)
            })
        }
        for role in roles.dropFirst() {
            _ = try await f.service.assign(roleID: role.id, members: [.user("erin"), .group("ops")], type: .eligible,
                                           justification: "p", by: f.admin)
        }
        for _ in 0..<200 {
            let user = rng.pick(Self.people)
            let role = rng.pick(roles)
            switch rng.int(9) {
            case 0, 1:
                let member: PrincipalRef = rng.int(4) == 0 ? .group("ops") : .user(rng.pick(Self.people))
                let end: Date? = rng.int(2) == 0 ? nil : f.clock.now() + Double(600 + rng.int(86_400))
                _ = try? await f.service.assign(roleID: role.id, members: [member], type: rng.int(5) == 0 ? .active : .eligible,
                                                end: end, justification: "p", by: f.admin)
            case 2, 3:
                let form = ActivationForm(durationMinutes: 5 + rng.int(125), start: rng.int(4) == 0 ? f.clock.now() + 900 : nil,
                                          justification: "p")
                _ = try? await f.service.activate(roleIDs: [role.id], form: form, by: f.user(user))
            case 4:
                let pending = try await f.store.pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM request WHERE status = 'PendingApproval'") }
                if !pending.isEmpty {
                    let decision: ApprovalDecision = rng.int(4) == 0 ? .deny : .approve
                    let approver = rng.int(4) == 0 ? user : rng.pick(["root", "carol", "dave"])
                    _ = try? await f.service.decide(requestID: rng.pick(pending), decision: decision, justification: "p",
                                                    by: f.user(approver))
                }
            case 5:
                let ids = try await f.store.pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM assignment") }
                let id = rng.pick(ids)
                switch rng.int(3) {
                case 0: try? await f.service.removeAssignment(id: id, justification: "p", by: f.admin)
                case 1: try? await f.service.revoke(assignmentID: id, justification: "p", by: f.admin)
                default: try? await f.service.deactivate(assignmentID: id, by: f.user(user))
                }
            case 6:
                try await f.service.runDueWork()
            default:
                f.clock.advance(by: Double(rng.int(3600)))
            }
            try await checkInvariants(f, roles: roles)
        }
        try await f.service.runDueWork()
        try await checkInvariants(f, roles: roles)
        // The sequence exercised the interesting paths, not only refusals.
        #expect(try f.count("SELECT count(*) FROM assignment WHERE is_activation = 1") > 0)
        #expect(try f.count("SELECT count(*) FROM request_decision") > 0)
    }

    func checkInvariants(_ f: Fixture, roles: [Role]) async throws {
        let now = f.clock.now()
        let all = try await f.store.pool.read { try Row.fetchAll($0, sql: "SELECT * FROM assignment").map(Tables.assignment) }
        let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
        // No activation longer than allowed or beyond its eligibility.
        for a in all where a.isActivation && (a.endedReason == nil || a.endedReason == .expired) {
            let role = try #require(roles.first { $0.id == a.roleID })
            let end = try #require(a.end)
            #expect(end.timeIntervalSince(a.start) <= Double(role.settings.activation.maximumDurationMinutes * 60) + 0.001)
            let eligibility = try #require(byID[a.eligibilityID ?? -1])
            #expect(eligibility.start <= a.start)
            if let eligibleEnd = eligibility.end { #expect(end <= eligibleEnd) }
        }
        try await f.store.pool.read { db in
            // No self-approval; N distinct approvals before anything was provisioned from a pending request.
            #expect(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM request_decision d JOIN request r ON r.id = d.request_id WHERE d.approver = r.requester
                """) == 0)
            #expect(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM request r WHERE r.approvals_required > 0 AND r.status IN ('Approved', 'Provisioned')
                  AND (SELECT count(DISTINCT approver) FROM request_decision d WHERE d.request_id = r.id AND d.decision = 'approve')
                      < r.approvals_required
                """) == 0)
            // Every assignment was created by exactly one audit event, and every closing by one
            // (refused attempts on it are events too, with result failure).
            let created = try Row.fetchAll(db, sql: """
                SELECT a.id, (SELECT count(*) FROM audit_event e WHERE e.assignment_id = a.id AND e.result = 'success' AND e.action IN
                  ('assignmentAdded', 'roleActivated', 'assignmentRenewed', 'administratorBootstrapped')) AS n FROM assignment a
                """)
            for row in created { #expect(row["n"] as Int == 1, "assignment \(row["id"] as Int64)") }
            let closed = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM assignment a WHERE a.ended_reason IS NOT NULL AND (SELECT count(*) FROM audit_event e
                  WHERE e.assignment_id = a.id AND e.result = 'success' AND e.action IN ('assignmentRemoved', 'activationRevoked', 'roleDeactivated',
                  'activationExpired', 'assignmentExpired')) <> 1
                """)
            #expect(closed == 0)
        }
        #expect(try f.verify() == .intact(events: Int64(try f.count("SELECT count(*) FROM audit_event"))))
        // Holding = window: the page's answer equals the windows' answer, whatever ran.
        for user in Self.people {
            let groups = f.directory.groups(ofUser: user)
            let expected = Set(all.filter { a in
                a.type == .active && a.covers(now) && (a.principal == .user(user) || (a.principal.kind == .group && groups.contains(a.principal.name)))
            }.map(\.id))
            let shown = Set(try await f.queries.myRoles(username: user).active.filter { $0.assignment.covers(now) }.map(\.assignment.id))
            #expect(shown == expected)
        }
        // The last PIM Administrator never disappears through an action: if nobody holds the
        // role now, the last window to close ran out on its own (expiry, which is alerted).
        let administrators = all.filter { $0.roleID == roles[0].id && $0.type == .active }
        if !administrators.contains(where: { $0.covers(now) }) {
            let last = try #require(administrators.max { ($0.end ?? .distantFuture) < ($1.end ?? .distantFuture) })
            #expect(last.endedReason == nil || last.endedReason == .expired, "closed by \(String(describing: last.endedReason))")
        }
    }
}
