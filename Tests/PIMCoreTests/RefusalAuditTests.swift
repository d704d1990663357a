import Foundation
import GRDB
@testable import PIMCore
import Testing

/// A refused use case leaves no change, but an audit event of the action it attempted with
/// result `failure`, who tried, from where, on what, and the refusal's sentence.
struct RefusalAuditTests {
    struct Event: Equatable {
        var actor: String, action: String, result: String, target: String?, roleID: Int64?, roleName: String?
        var requestID: Int64?, assignmentID: Int64?, justification: String?, source: String?, details: String
    }

    static func lastEvent(_ f: Fixture) throws -> Event {
        try f.store.pool.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM audit_event ORDER BY seq DESC LIMIT 1"))
            return Event(actor: row["actor"], action: row["action"], result: row["result"], target: row["target"],
                         roleID: row["role_id"], roleName: row["role_name"], requestID: row["request_id"],
                         assignmentID: row["assignment_id"], justification: row["justification"],
                         source: row["source_address"], details: row["details"])
        }
    }

    @Test func anActivationOneIsNotEligibleForIsAuditedAsAFailure() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        var bob = f.user("bob")
        bob.sourceAddress = "198.51.100.7"
        let error = await refusal { _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: bob) }
        #expect(error == .notEligible(role: role.name))
        #expect(try Self.lastEvent(f) == Event(
            actor: "bob", action: "roleActivated", result: "failure", target: "bob", roleID: role.id, roleName: role.name,
            requestID: nil, assignmentID: nil, justification: Fixture.form.justification, source: "198.51.100.7",
            details: "refused: \(error!.message)"))
        #expect(try f.count("SELECT count(*) FROM assignment WHERE is_activation") == 0)
        #expect(try f.count("SELECT count(*) FROM request WHERE kind = 'selfActivate'") == 0)
        guard case .intact = try f.verify() else { Issue.record("audit chain broken"); return }
    }

    @Test func aSelfApprovalIsAuditedOnTheRequestAndItsRole() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.activation.requireApproval = true }
        try await f.eligible(.user("root"), role)
        guard case .pending(let id)? = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.admin).first
        else { Issue.record("not pending"); return }
        #expect(await refusal { _ = try await f.service.approve(requestID: id, justification: "me", by: f.admin) } == .selfApproval)
        let event = try Self.lastEvent(f)
        #expect(event.action == "requestApproved" && event.result == "failure" && event.actor == "root")
        #expect(event.requestID == id && event.roleID == role.id && event.target == "root" && event.justification == "me")
        #expect(event.details == "refused: You cannot approve your own request.")
        #expect(try f.count("SELECT count(*) FROM request WHERE id = ? AND status = 'PendingApproval'", [id]) == 1)
    }

    @Test func anAdministratorsActionTriedBySomeoneElseIsAudited() async throws {
        let f = try await Fixture.make()
        #expect(await refusal { _ = try await f.service.createRole(name: "Shadow Admin", by: f.user("bob")) } == .notAuthorized)
        let event = try Self.lastEvent(f)
        #expect(event.action == "roleCreated" && event.result == "failure" && event.actor == "bob" && event.roleID == nil)
        #expect(event.details == "name Shadow Admin; refused: Only PIM Administrators can do this.")
        #expect(try f.count("SELECT count(*) FROM role WHERE name = 'Shadow Admin'") == 0)
    }

    @Test func anAttemptOnSomeoneElsesOrAMissingAssignmentIsAudited() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.activation.requireMFA = false }
        try await f.eligible(.user("alice"), role)
        guard case .activated(let activation)? = try await f.service.activate(roleIDs: [role.id], form: Fixture.form,
                                                                             by: f.user("alice")).first
        else { Issue.record("not activated"); return }
        #expect(await refusal { try await f.service.deactivate(assignmentID: activation.id, by: f.user("bob")) } == .notYourAssignment)
        var event = try Self.lastEvent(f)
        #expect(event.action == "roleDeactivated" && event.result == "failure" && event.actor == "bob")
        #expect(event.assignmentID == activation.id && event.roleID == role.id && event.target == "alice")
        #expect(await refusal { try await f.service.deactivate(assignmentID: 9_999, by: f.user("bob")) } == .assignmentNotFound)
        event = try Self.lastEvent(f)
        #expect(event.assignmentID == 9_999 && event.roleID == nil && event.roleName == nil && event.target == nil)
        guard case .intact = try f.verify() else { Issue.record("audit chain broken"); return }
    }

    @Test func successesRecordNoFailure() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.activation.requireMFA = false }
        try await f.eligible(.user("alice"), role)
        _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice"))
        #expect(try f.count("SELECT count(*) FROM audit_event WHERE result = 'failure'") == 0)
    }
}
