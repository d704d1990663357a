import Foundation
import Testing
@testable import PIMCore

struct SchedulerTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func assignment(_ id: Int64, end: Date?, activation: Bool = false, level: Int = 0) -> Assignment {
        Assignment(id: id, roleID: 1, principal: .user("alice"), type: activation ? .active : .eligible,
                   start: t0 - 86_400 * 30, end: end, isActivation: activation, reminderLevel: level)
    }

    @Test func dueWorkIsPlannedFromTheStateAlone() {
        let plan = SchedulerPolicy.plan(
            pending: [PendingDeadline(requestID: 1, timeoutAt: t0), PendingDeadline(requestID: 2, timeoutAt: t0 + 60)],
            assignments: [assignment(10, end: t0), assignment(11, end: t0 + 86_400 * 13),
                          assignment(12, end: t0 + 3600, level: 1), assignment(13, end: t0 + 300, activation: true),
                          assignment(14, end: t0 + 86_400 * 20), assignment(15, end: nil)],
            now: t0)
        #expect(plan.actions == [.timeOut(requestID: 1), .expire(assignmentID: 10), .remind(assignmentID: 11, level: 1),
                                 .remind(assignmentID: 12, level: 2), .remind(assignmentID: 13, level: 3)])
        #expect(plan.nextWake == t0 + 60)
    }

    @Test func nextWakeIsTheEarliestFutureInstant() {
        let plan = SchedulerPolicy.plan(pending: [], assignments: [assignment(1, end: t0 + 86_400 * 20)], now: t0)
        #expect(plan.actions.isEmpty)
        #expect(plan.nextWake == t0 + 86_400 * 6, "the 14-day reminder")
        let activation = SchedulerPolicy.plan(pending: [], assignments: [assignment(2, end: t0 + 3600, activation: true)], now: t0)
        #expect(activation.nextWake == t0 + 3000, "the 10-minute reminder")
    }

    @Test func appliedActionsDisappearFromThePlan() {
        let applied = SchedulerPolicy.plan(pending: [], assignments: [assignment(1, end: t0 + 3600, level: 2)], now: t0)
        #expect(applied.actions.isEmpty)
        var closed = assignment(2, end: t0 - 1)
        closed.endedReason = .expired
        #expect(SchedulerPolicy.plan(pending: [], assignments: [closed], now: t0).actions.isEmpty)
    }

    @Test func holdingFollowsTheWindowBeforeAnyJobRuns() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        try await f.eligible(.user("alice"), role)
        guard case .activated(let a)? = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice")).first
        else { Issue.record("no activation"); return }
        f.clock.advance(by: 3599)
        #expect(try await f.queries.myRoles(username: "alice").active.map(\.assignment.id) == [a.id])
        f.clock.advance(by: 1)
        #expect(try await f.queries.myRoles(username: "alice").active.isEmpty, "no job has run yet")
        #expect(try await f.queries.myRoles(username: "alice").expired.map(\.assignment.id) == [a.id])
        let run = try await f.service.runDueWork()
        #expect(run.applied == 1)
        let again = try await f.service.runDueWork()
        #expect(again.applied == 0)
        #expect(try f.auditActions().filter { $0 == "activationExpired" }.count == 1)
        #expect(try f.outbox().filter { $0.kind == "activationEnded" }.count == 1)
    }

    @Test func remindersAreSentOnceAt14DaysOneDayAndTenMinutes() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.activation.maximumDurationMinutes = 120 }
        try await f.eligible(.user("alice"), role, end: f.clock.now() + 86_400 * 20)
        _ = try await f.service.activate(roleIDs: [role.id], form: ActivationForm(durationMinutes: 60, justification: "x"),
                                         by: f.user("alice"))
        try await f.service.runDueWork()
        #expect(try f.outbox().filter { $0.kind == "assignmentExpiring" || $0.kind == "activationEndingSoon" }.isEmpty)
        f.clock.advance(by: 3000)
        try await f.service.runDueWork()
        try await f.service.runDueWork()
        #expect(try f.outbox().filter { $0.kind == "activationEndingSoon" }.map(\.recipient) == ["alice@example.org"])
        f.clock.advance(by: 86_400 * 6 - 3000)
        try await f.service.runDueWork()
        try await f.service.runDueWork()
        #expect(Set(try f.outbox().filter { $0.kind == "assignmentExpiring" }.map(\.recipient))
                == ["alice@example.org", "root@example.org"])
        f.clock.advance(by: 86_400 * 13)
        try await f.service.runDueWork()
        #expect(try f.outbox().filter { $0.kind == "assignmentExpiring" }.count == 4)
    }

    @Test func theNextWakeComesFromTheStoredEndsAndReminders() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.activation.maximumDurationMinutes = 120 }
        let start = f.clock.now()
        try await f.eligible(.user("alice"), role, end: start + 86_400 * 20)
        let idle = try await f.service.runDueWork()
        #expect(idle.applied == 0)
        #expect(abs(try #require(idle.nextWake).timeIntervalSince(start + 86_400 * 6)) < 0.01, "the 14-day reminder")
        _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice"))
        let active = try await f.service.runDueWork()
        #expect(active.applied == 0)
        #expect(abs(try #require(active.nextWake).timeIntervalSince(start + 3000)) < 0.01, "the 10-minute reminder")
        f.clock.advance(by: 3000)
        #expect(try await f.service.runDueWork().applied == 1)
        let reminded = try await f.service.runDueWork()
        #expect(abs(try #require(reminded.nextWake).timeIntervalSince(start + 3600)) < 0.01, "the activation's end")
    }

    @Test func dueWorkBeyondOneBatchIsAppliedByTheNextRuns() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        for user in ["alice", "bob", "carol"] {
            try await f.eligible(.user(user), role)
            _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user(user))
        }
        f.clock.advance(by: 3600)
        #expect(try await f.service.runDueWork(batch: 2).applied == 2)
        #expect(try await f.service.runDueWork(batch: 2).applied == 1)
        #expect(try await f.service.runDueWork(batch: 2).applied == 0)
        #expect(try f.auditActions().filter { $0 == "activationExpired" }.count == 3)
    }

    @Test func theLastAdministratorsExpiryRaisesAnAlert() async throws {
        let f = try await Fixture.make()
        let adminRole = try #require(try await f.queries.roles().first { $0.builtIn == .pimAdministrator })
        _ = try await f.service.assign(roleID: adminRole.id, members: [.user("alice")], type: .active,
                                       end: f.clock.now() + 86_400 * 30, justification: "temp", by: f.admin)
        let root = try #require(try await f.queries.myRoles(username: "root").active.first)
        try await f.service.removeAssignment(id: root.assignment.id, justification: "handover", by: f.user("alice"))
        f.clock.advance(by: 86_400 * 16 + 1)
        try await f.service.runDueWork()
        #expect(try f.outbox().contains { $0.kind == "lastAdministratorExpiring" && $0.recipient == "alice@example.org" && $0.critical })
    }

    @Test func theRunnerCatchesUpAndStops() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.activation.requireApproval = true; $0.activation.approvalTimeoutHours = 1 }
        try await f.eligible(.user("alice"), role)
        _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice"))
        f.clock.advance(by: 86_400)  // downtime
        let task = Task { await SchedulerRunner(service: f.service, pollInterval: .milliseconds(20)).run() }
        for _ in 0..<100 where try f.count("SELECT count(*) FROM request WHERE status = 'TimedOut'") == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        await task.value
        #expect(try f.count("SELECT count(*) FROM request WHERE status = 'TimedOut'") == 1)
    }
}
