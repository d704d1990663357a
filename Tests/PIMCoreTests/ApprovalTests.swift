import Foundation
import Testing
@testable import PIMCore

struct ApprovalTests {
    func pendingRequest(_ f: Fixture, _ configure: @escaping (inout RoleSettings) -> Void = { _ in }) async throws -> (Role, Int64) {
        let role = try await f.role {
            $0.activation.requireApproval = true
            configure(&$0)
        }
        try await f.eligible(.user("alice"), role)
        let outcome = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice"))
        guard case .pending(let id)? = outcome.first else { throw PIMError.requestNotFound }
        return (role, id)
    }

    @Test func approvalMakesTheActivationStartAtApproval() async throws {
        let f = try await Fixture.make()
        let (_, id) = try await pendingRequest(f)
        #expect(try await f.queries.builtInRoles(of: "alice").isEmpty)
        #expect(try await f.queries.pendingApprovals(for: "root").map(\.request.id) == [id])
        #expect(try await f.queries.pendingApprovals(for: "alice").isEmpty, "never one's own")
        f.clock.advance(by: 900)
        #expect(try await f.service.approve(requestID: id, justification: "ok", by: f.admin) == .approved)
        let row = try #require(try await f.queries.request(id: id))
        #expect(row.request.status == .provisioned)
        let a = try #require(try await f.queries.assignment(id: row.request.resultAssignmentID ?? -1))
        #expect(a.start == f.clock.now() && a.end == f.clock.now() + 3600)
        #expect(try f.auditActions().suffix(2) == ["requestApproved", "roleActivated"])
    }

    @Test func requestersCannotApproveTheirOwnRequest() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.activation.requireApproval = true }
        try await f.eligible(.user("root"), role)
        guard case .pending(let id)? = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.admin).first
        else { Issue.record("not pending"); return }
        let error = await refusal { _ = try await f.service.approve(requestID: id, justification: "me", by: f.admin) }
        #expect(error?.message == "You cannot approve your own request.")
    }

    @Test func onlyApproversMayDecide() async throws {
        let f = try await Fixture.make()
        let (_, id) = try await pendingRequest(f) { $0.activation.approverGroups = ["approvers"] }
        #expect(await refusal { _ = try await f.service.approve(requestID: id, justification: "x", by: f.user("bob")) } == .notAnApprover)
        #expect(await refusal { _ = try await f.service.approve(requestID: id, justification: "x", by: f.admin) } == .notAnApprover,
                "with approvers chosen, PIM Administrators are not approvers")
        #expect(try await f.queries.pendingApprovals(for: "carol").count == 1)
        #expect(try await f.service.approve(requestID: id, justification: "x", by: f.user("carol")) == .approved)
    }

    @Test func twoApprovalsNeedTwoDistinctApprovers() async throws {
        let f = try await Fixture.make()
        let (_, id) = try await pendingRequest(f) {
            $0.activation.approvalsRequired = 2
            $0.activation.approverGroups = ["approvers"]
        }
        #expect(try await f.service.approve(requestID: id, justification: "one", by: f.user("carol")) == .recorded(remaining: 1))
        #expect(await refusal { _ = try await f.service.approve(requestID: id, justification: "again", by: f.user("carol")) }
                == .alreadyDecided)
        #expect(try f.count("SELECT count(*) FROM assignment WHERE is_activation = 1") == 0)
        #expect(try await f.queries.pendingApprovals(for: "carol").isEmpty)
        #expect(try await f.service.approve(requestID: id, justification: "two", by: f.user("dave")) == .approved)
        #expect(try f.count("SELECT count(*) FROM assignment WHERE is_activation = 1") == 1)
    }

    @Test func oneDenialDeniesTheRequest() async throws {
        let f = try await Fixture.make()
        let (_, id) = try await pendingRequest(f) {
            $0.activation.approvalsRequired = 2
            $0.activation.approverGroups = ["approvers"]
        }
        _ = try await f.service.approve(requestID: id, justification: "fine", by: f.user("carol"))
        #expect(try await f.service.deny(requestID: id, justification: "no", by: f.user("dave")) == .denied)
        #expect(try await f.queries.request(id: id)?.request.status == .denied)
        let error = await refusal { _ = try await f.service.approve(requestID: id, justification: "x", by: f.admin) }
        #expect(error?.message == "This request is no longer pending (it is Denied).")
        #expect(try f.outbox().contains { $0.kind == "requestDenied" && $0.recipient == "alice@example.org" })
    }

    @Test func approverJustificationAndMFAAreRequiredWhenConfigured() async throws {
        let f = try await Fixture.make()
        let (_, id) = try await pendingRequest(f) { $0.activation.requireApproverMFA = true }
        #expect(await refusal { _ = try await f.service.approve(requestID: id, justification: " ", by: f.admin) }?.message
                == "A justification is required to approve or deny.")
        let noProof = ActorContext(username: "root")
        #expect(await refusal { _ = try await f.service.approve(requestID: id, justification: "ok", by: noProof) } == .approverMFARequired)
        #expect(try await f.service.approve(requestID: id, justification: "ok", by: f.admin) == .approved)
    }

    @Test func unansweredRequestsTimeOutAtTheApprovalTimeout() async throws {
        let f = try await Fixture.make()
        let (_, id) = try await pendingRequest(f) { $0.activation.approvalTimeoutHours = 2 }
        f.clock.advance(by: 7199)
        try await f.service.runDueWork()
        #expect(try await f.queries.request(id: id)?.request.status == .pendingApproval)
        f.clock.advance(by: 1)
        try await f.service.runDueWork()
        #expect(try await f.queries.request(id: id)?.request.status == .timedOut)
        try await f.service.runDueWork()
        #expect(try f.auditActions().filter { $0 == "requestTimedOut" }.count == 1)
        #expect(await refusal { _ = try await f.service.approve(requestID: id, justification: "late", by: f.admin) }
                == .requestNotPending(.timedOut))
    }

    @Test func requestersCancelTheirPendingRequests() async throws {
        let f = try await Fixture.make()
        let (_, id) = try await pendingRequest(f)
        #expect(await refusal { try await f.service.cancel(requestID: id, by: f.user("bob")) }?.message
                == "Only the requester can cancel this request.")
        try await f.service.cancel(requestID: id, by: f.user("alice"))
        #expect(try await f.queries.request(id: id)?.request.status == .canceled)
        #expect(await refusal { try await f.service.cancel(requestID: id, by: f.user("alice")) } == .requestNotPending(.canceled))
    }

    @Test func aSecondRequestWhilePendingIsRefused() async throws {
        let f = try await Fixture.make()
        let (role, _) = try await pendingRequest(f)
        let error = await refusal { _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice")) }
        #expect(error?.message == "You already have a pending request for Database Administrator.")
    }

    @Test func approvalAfterTheEligibilityWasRemovedFails() async throws {
        let f = try await Fixture.make()
        let (role, id) = try await pendingRequest(f)
        let eligibility = try #require(try await f.queries.roleAssignments(roleID: role.id, tab: .eligible).first)
        try await f.service.removeAssignment(id: eligibility.id, justification: "left the team", by: f.admin)
        #expect(try await f.service.approve(requestID: id, justification: "ok", by: f.admin) == .approved)
        #expect(try await f.queries.request(id: id)?.request.status == .failed)
        #expect(try f.count("SELECT count(*) FROM assignment WHERE is_activation = 1") == 0)
    }

    @Test func approversAreAskedByMailAndTheRequesterHearsTheOutcome() async throws {
        let f = try await Fixture.make()
        let (_, id) = try await pendingRequest(f) { $0.activation.approverGroups = ["approvers"] }
        let asks = try f.outbox().filter { $0.kind == "approveActivationRequest" }
        #expect(Set(asks.map(\.recipient)) == ["carol@example.org", "dave@example.org"])
        #expect(asks.allSatisfy { $0.critical })
        _ = try await f.service.approve(requestID: id, justification: "ok", by: f.user("carol"))
        let mails = try f.outbox()
        #expect(mails.contains { $0.kind == "requestApproved" && $0.recipient == "alice@example.org" })
        #expect(mails.contains { $0.kind == "requestDecided" && $0.recipient == "dave@example.org" })
        #expect(mails.contains { $0.kind == "roleActivationAlert" && $0.recipient == "root@example.org" })
    }

    @Test func usersRequestExtensionAndRenewalOfTheirAssignments() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.assignment.eligibleExpiry = .month1 }
        let a = try await f.eligible(.user("alice"), role, end: f.clock.now() + 86_400 * 10)
        #expect(await refusal { _ = try await f.service.requestRenewal(assignmentID: a.id, justification: "x", by: f.user("alice")) }
                == .assignmentNotExpired)
        let ext = try await f.service.requestExtension(assignmentID: a.id, justification: "still on call", by: f.user("alice"))
        #expect(try f.outbox().contains { $0.kind == "approveExtensionRequest" && $0.recipient == "root@example.org" })
        #expect(try await f.service.approve(requestID: ext, justification: "ok", by: f.admin) == .approved)
        let extended = try #require(try await f.queries.assignment(id: a.id))
        #expect(extended.end == a.end! + AssignmentExpiry.month1.seconds)
        f.clock.advance(by: 86_400 * 45)
        try await f.service.runDueWork()
        let renewal = try await f.service.requestRenewal(assignmentID: a.id, justification: "back", by: f.user("alice"))
        _ = try await f.service.approve(requestID: renewal, justification: "ok", by: f.admin)
        let mine = try await f.queries.myRoles(username: "alice")
        #expect(mine.eligible.count == 1 && mine.eligible[0].assignment.end == f.clock.now() + AssignmentExpiry.month1.seconds)
        #expect(mine.expired.map(\.assignment.id) == [a.id])
    }
}
