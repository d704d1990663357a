import Foundation
import Testing
@testable import PIMCore

struct AssignmentTests {
    @Test func severalMembersAreAssignedAtOnceEachWithItsOwnEvent() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        let made = try await f.service.assign(roleID: role.id, members: [.user("alice"), .user("bob"), .group("ops")],
                                              type: .eligible, justification: "team", by: f.admin)
        #expect(made.count == 3)
        #expect(try f.auditActions().filter { $0 == "assignmentAdded" }.count == 3)
        #expect(try f.count("SELECT count(*) FROM request WHERE kind = 'adminAssign' AND status = 'Provisioned'") == 3)
        #expect(await refusal { _ = try await f.service.assign(roleID: role.id, members: [], type: .eligible, justification: nil, by: f.admin) }
                == .noMembers)
        #expect(await refusal { _ = try await f.service.assign(roleID: role.id, members: [.user("ghost")], type: .eligible,
                                                               justification: nil, by: f.admin) }?.message == "No user or group named “ghost”.")
    }

    @Test func overlappingAssignmentsOfTheSameTypeAreRefused() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        try await f.eligible(.user("alice"), role)
        #expect(await refusal { try await f.eligible(.user("alice"), role) } == .overlappingAssignment(principal: "alice"))
    }

    @Test func windowsFollowTheAssignmentTab() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.assignment.eligibleExpiry = .days15 }
        let now = f.clock.now()
        func attempt(_ type: AssignmentType, start: Date? = nil, end: Date?) async -> PIMError? {
            await refusal { _ = try await f.service.assign(roleID: role.id, members: [.user("alice")], type: type, start: start,
                                                           end: end, justification: "j", by: f.admin) }
        }
        #expect(await attempt(.eligible, end: nil)?.message == "This role does not allow permanent eligible assignments; choose an end.")
        #expect(await attempt(.eligible, end: now + 16 * 86_400)?.message
                == "Eligible assignments of this role expire after 15 days; choose an earlier end.")
        #expect(await attempt(.active, end: nil) == .permanentNotAllowed(.active))
        #expect(await attempt(.active, end: now + 181 * 86_400) == .windowBeyondLimit(type: .active, limit: "6 months"))
        #expect(await attempt(.eligible, start: now + 3600, end: now + 1800)?.message == "The end is before the start.")
        #expect(await attempt(.eligible, end: now + 299) == .durationTooShort)
        #expect(await attempt(.eligible, start: now - 3600, end: now + 3600) == .startInPast)
        #expect(await attempt(.eligible, end: now + 300) == nil)
    }

    @Test func activeAssignmentsNeedJustificationAndMFAWhenConfigured() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.assignment.requireMFAOnActive = true }
        let end = f.clock.now() + 86_400
        #expect(await refusal { _ = try await f.service.assign(roleID: role.id, members: [.user("alice")], type: .active, end: end,
                                                               justification: "", by: f.admin) } == .justificationRequired)
        let noProof = ActorContext(username: "root")
        #expect(await refusal { _ = try await f.service.assign(roleID: role.id, members: [.user("alice")], type: .active, end: end,
                                                               justification: "on call", by: noProof) } == .mfaRequired)
        let made = try await f.service.assign(roleID: role.id, members: [.user("alice")], type: .active, end: end,
                                              justification: "on call", by: f.admin)
        #expect(made[0].covers(f.clock.now()))
    }

    @Test func updateExtendRemoveAndRenewChangeTheWindowWithAudit() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        let a = try await f.eligible(.user("alice"), role, end: f.clock.now() + 86_400)
        let updated = try await f.service.updateAssignment(id: a.id, start: a.start, end: f.clock.now() + 3 * 86_400,
                                                           justification: "longer", by: f.admin)
        #expect(updated.end == f.clock.now() + 3 * 86_400)
        let extended = try await f.service.extendAssignment(id: a.id, newEnd: f.clock.now() + 5 * 86_400, justification: "more", by: f.admin)
        #expect(extended.end == f.clock.now() + 5 * 86_400)
        #expect(await refusal { _ = try await f.service.renewAssignment(id: a.id, end: f.clock.now() + 86_400, justification: nil, by: f.admin) }?.message
                == "Only an expired assignment can be renewed.")
        f.clock.advance(by: 6 * 86_400)
        let renewed = try await f.service.renewAssignment(id: a.id, end: f.clock.now() + 86_400, justification: "again", by: f.admin)
        #expect(renewed.id != a.id && renewed.covers(f.clock.now()))
        try await f.service.removeAssignment(id: renewed.id, justification: "done", by: f.admin)
        #expect(try await f.queries.myRoles(username: "alice").eligible.isEmpty)
        #expect(await refusal { try await f.service.removeAssignment(id: renewed.id, justification: nil, by: f.admin) } == .assignmentEnded)
        #expect(try f.auditActions().suffix(4) == ["assignmentUpdated", "assignmentExtended", "assignmentRenewed", "assignmentRemoved"])
        #expect(try f.auditActions(result: .failure) == ["assignmentRenewed", "assignmentRemoved"])
        #expect(try f.verify() == .intact(events: UInt64(try f.count("SELECT count(*) FROM audit_event")).asInt64))
    }

    @Test func removingAnEligibilityEndsItsActivations() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        let e = try await f.eligible(.user("alice"), role)
        _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice"))
        try await f.service.removeAssignment(id: e.id, justification: "left", by: f.admin)
        #expect(try await f.queries.myRoles(username: "alice").active.isEmpty)
        #expect(try f.auditActions().suffix(2) == ["assignmentRemoved", "activationRevoked"])
    }

    @Test func administratorsRevokeActivationsAtOnce() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        try await f.eligible(.user("alice"), role)
        guard case .activated(let a)? = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice")).first
        else { Issue.record("no activation"); return }
        #expect(await refusal { try await f.service.revoke(assignmentID: a.id, justification: "x", by: f.user("bob")) } == .notAuthorized)
        try await f.service.revoke(assignmentID: a.id, justification: "suspicious", by: f.admin)
        let row = try #require(try await f.queries.request(id: a.requestID ?? -1))
        #expect(row.request.status == .revoked)
        #expect(try f.outbox().contains { $0.kind == "activationEnded" && $0.recipient == "alice@example.org" })
    }

    @Test func theLastPIMAdministratorCannotBeRemovedOrRevoked() async throws {
        let f = try await Fixture.make()
        let adminRole = try #require(try await f.queries.roles().first { $0.builtIn == .pimAdministrator })
        let only = try #require(try await f.queries.roleAssignments(roleID: adminRole.id, tab: .active).first)
        let error = await refusal { try await f.service.removeAssignment(id: only.id, justification: "oops", by: f.admin) }
        #expect(error?.message == "This is the last active PIM Administrator assignment; assign another PIM Administrator first.")
        #expect(await refusal { try await f.service.revoke(assignmentID: only.id, justification: nil, by: f.admin) } == .lastAdministrator)
        #expect(await refusal { _ = try await f.service.updateAssignment(id: only.id, start: f.clock.now() + 3600, end: f.clock.now() + 86_400,
                                                                         justification: nil, by: f.admin) } == .lastAdministrator)
        _ = try await f.service.assign(roleID: adminRole.id, members: [.user("alice")], type: .active,
                                       end: f.clock.now() + 86_400, justification: "second admin", by: f.admin)
        try await f.service.removeAssignment(id: only.id, justification: "handover", by: f.admin)
        #expect(try await f.queries.builtInRoles(of: "alice") == [.pimAdministrator])
    }

    @Test func theLastAdministratorCannotDeactivateTheirOwnActivation() async throws {
        let f = try await Fixture.make()
        let adminRole = try #require(try await f.queries.roles().first { $0.builtIn == .pimAdministrator })
        try await f.eligible(.user("alice"), try #require(try await f.queries.role(id: adminRole.id)))
        guard case .activated(let a)? = try await f.service.activate(roleIDs: [adminRole.id], form: Fixture.form, by: f.user("alice")).first
        else { Issue.record("no activation"); return }
        let only = try #require(try await f.queries.myRoles(username: "root").active.first)
        try await f.service.removeAssignment(id: only.assignment.id, justification: "alice holds it now", by: f.user("alice"))
        f.clock.advance(by: 600)
        #expect(await refusal { try await f.service.deactivate(assignmentID: a.id, by: f.user("alice")) } == .lastAdministrator)
        let eligibility = try #require(try await f.queries.myRoles(username: "alice").eligible.first)
        #expect(await refusal { try await f.service.removeAssignment(id: eligibility.assignment.id, justification: "x", by: f.user("alice")) }
                == .lastAdministrator, "removing the eligibility would end the last administrator's activation")
        #expect(try await f.queries.builtInRoles(of: "alice") == [.pimAdministrator])
    }
}

extension UInt64 {
    var asInt64: Int64 { Int64(self) }
}
