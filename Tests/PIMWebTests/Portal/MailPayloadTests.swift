import Foundation
import GRDB
import PIMCore
import Testing
@testable import PIMWeb

/// The facts PIMCore queues carry people's display names, so mails say "Alice Andersen"
/// rather than "alice".
struct MailPayloadTests {
    @Test func activationMailsNameTheRequesterAndAssigneeByDisplayName() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.makeRole("Web Operator", eligible: [.user("alice")]) { $0.activation.requireMFA = false }
        var alice = try portal.signIn(.plain)
        let response = try await alice.post("/my-roles/activate", [
            ("role", "\(role)"), ("duration", "60"), ("justification", "Deploy release 4.2")])
        #expect(response.status == .seeOther)
        let payloads = try await portal.environment.store.pool.read {
            try String.fetchAll($0, sql: "SELECT payload FROM outbox WHERE kind = ?", arguments: [OutboxKind.roleActivationAlert.rawValue])
        }
        let payload = try #require(payloads.first.map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) })
        #expect(payload["requester"] == "alice" && payload["requesterName"] == "Alice Andersen")
        #expect(payload["assignee"] == "alice" && payload["assigneeName"] == "Alice Andersen")
    }
}
