import Foundation
import GRDB

/// What a use case was asked to do, so that a refusal is audited too: an event of the action
/// it would have recorded, with result `failure` and the refusal's sentence. (The use case's own
/// events rolled back with it.) An attempt on someone else's assignment, a self-approval or an
/// activation one is not eligible for is exactly what an auditor looks for.
struct Attempt: Sendable {
    let action: AuditAction
    var roleID: Int64?
    var assignmentID: Int64?
    var requestID: Int64?
    /// The member concerned; by default the assignment's or request's principal, else nobody.
    var target: String?
    var justification: String?
    /// Added before the refusal in `details` (the roles of a bulk activation…).
    var note: String?

    init(_ action: AuditAction, role: Int64? = nil, assignment: Int64? = nil, request: Int64? = nil,
         target: String? = nil, justification: String? = nil, note: String? = nil) {
        self.action = action
        self.roleID = role
        self.assignmentID = assignment
        self.requestID = request
        self.target = target
        self.justification = justification
        self.note = note
    }

    /// The failure event, with the role and member found from the assignment or request when
    /// the caller named only those (a refusal may be that they do not exist: then none).
    func refusalEvent(_ refusal: PIMError, actor: ActorContext, at time: Date, in db: Database) throws -> AuditEventDraft {
        var roleID = self.roleID, target = self.target
        for (table, id) in [("assignment", assignmentID), ("request", requestID)] {
            guard let id, let row = try Row.fetchOne(
                db, sql: "SELECT role_id, principal_kind, principal_name FROM \(table) WHERE id = ?", arguments: [id])
            else { continue }
            roleID = roleID ?? row[0]
            target = target ?? PrincipalRef(kind: PrincipalRef.Kind(rawValue: row[1]) ?? .user, name: row[2]).description
        }
        let roleName = try roleID.flatMap { try String.fetchOne(db, sql: "SELECT name FROM role WHERE id = ?", arguments: [$0]) }
        return AuditEventDraft(
            time: time, actor: actor.username, action: action.rawValue, target: target,
            roleID: roleName == nil ? nil : roleID, roleName: roleName, requestID: requestID, assignmentID: assignmentID,
            justification: justification, ticket: nil, result: .failure, sourceAddress: actor.sourceAddress,
            details: [note, "refused: \(refusal.message)"].compactMap { $0 }.joined(separator: "; "))
    }
}
