import Algorithms
public import Foundation
import GRDB

/// What administrators do to assignments: the Add assignments wizard and the per-row actions.
extension PIMService {
    /// Assigns several members at once (wizard semantics): one request and one audit event each.
    public func assign(
        roleID: Int64, members: [PrincipalRef], type: AssignmentType, start: Date? = nil, end: Date? = nil,
        justification: String?, by actor: ActorContext
    ) async throws -> [Assignment] {
        try await transact(actor, attempt: Attempt(.assignmentAdded, role: roleID, justification: justification,
                                                   note: "\(type.rawValue) for \(members.map(\.description).joined(separator: ", "))")) { tx in
            try tx.requireAdministrator()
            let role = try tx.role(roleID)
            guard !members.isEmpty else { throw PIMError.noMembers }
            let window = try WindowPolicy.adminWindow(
                type: type, start: start, end: end, settings: role.settings.assignment, now: tx.now)
            if type == .active { try checkActiveAssignmentRequirements(role: role, justification: justification, tx) }
            var made: [Assignment] = []
            for member in Array(Set(members)).sorted(by: { $0.description < $1.description }) {
                try tx.requireKnown(member)
                let overlapping = try Tables.openAssignments(role: roleID, principals: [member], type: type, tx.db)
                    .contains { $0.overlaps(start: window.start, end: window.end) && !$0.isActivation }
                if overlapping { throw PIMError.overlappingAssignment(principal: member.description) }
                let request = try Tables.insert(AccessRequest.admin(
                    .adminAssign, role: roleID, principal: member, type: type, actor: actor.username,
                    justification: justification, start: window.start, end: window.end, now: tx.now), tx.db)
                let assignment = try tx.insert(Assignment(
                    roleID: roleID, principal: member, type: type, start: window.start, end: window.end,
                    requestID: request.id, justification: justification, createdBy: actor.username, createdAt: tx.now))
                try Tables.setStatus(request.id, .provisioned, result: assignment.id, at: tx.now, tx.db)
                try tx.audit(.assignmentAdded, role: role, target: member.description, request: request.id,
                             assignment: assignment.id, justification: justification,
                             details: "\(type.rawValue) \(WindowText.describe(assignment))")
                try tx.notifyAssigned(assignment, role: role, request: request.id)
                made.append(assignment)
            }
            return made
        }
    }

    /// Changes the window of an assignment made by an administrator.
    public func updateAssignment(
        id: Int64, start: Date, end: Date?, justification: String?, by actor: ActorContext
    ) async throws -> Assignment {
        try await transact(actor, attempt: Attempt(.assignmentUpdated, assignment: id, justification: justification)) { tx in
            try tx.requireAdministrator()
            let current = try tx.assignment(id)
            guard current.endedReason == nil, !current.isActivation else { throw PIMError.assignmentEnded }
            let role = try tx.role(current.roleID)
            let window = try WindowPolicy.adminWindow(
                type: current.type, start: max(start, min(current.start, tx.now)), end: end,
                settings: role.settings.assignment, now: tx.now)
            try tx.protectLastAdministrator(role: role, changing: current, newEnd: window.start > tx.now ? tx.now : window.end)
            let request = try tx.adminRequest(.adminUpdate, current, justification: justification, start: window.start, end: window.end)
            try Tables.setWindow(id, start: window.start, end: window.end, isActivation: false, now: tx.now, tx.db)
            let updated = try tx.assignment(id)
            try tx.audit(.assignmentUpdated, role: role, target: current.principal.description, request: request,
                         assignment: id, justification: justification,
                         details: "from \(WindowText.describe(current)) to \(WindowText.describe(updated))")
            return updated
        }
    }

    /// Ends an assignment now (and the activations that came from it).
    public func removeAssignment(id: Int64, justification: String?, by actor: ActorContext) async throws {
        try await transact(actor, attempt: Attempt(.assignmentRemoved, assignment: id, justification: justification)) { tx in
            try tx.requireAdministrator()
            let current = try tx.assignment(id)
            guard current.endedReason == nil, !current.hasEnded(at: tx.now) else { throw PIMError.assignmentEnded }
            let role = try tx.role(current.roleID)
            try tx.protectLastAdministrator(role: role, changing: current, newEnd: tx.now)
            let request = try tx.adminRequest(.adminRemove, current, justification: justification, start: nil, end: tx.now)
            try Tables.close(id, end: tx.now, reason: .removed, by: actor.username, at: tx.now, tx.db)
            try tx.audit(.assignmentRemoved, role: role, target: current.principal.description, request: request,
                         assignment: id, justification: justification, details: current.type.rawValue)
            try tx.notifyDirectly(.assignmentRemoved, to: tx.usernames(of: current.principal),
                                  payload: tx.facts(role: role, assignment: current, request: request))
            if current.type == .eligible {
                for activation in try tx.activations(from: id) {
                    try tx.protectLastAdministrator(role: role, changing: activation, newEnd: tx.now)
                    try tx.endActivation(activation, role: role, reason: .revoked, action: .activationRevoked,
                                         justification: "eligible assignment removed")
                }
            }
        }
    }

    /// Moves the end of a time-bound assignment later.
    public func extendAssignment(id: Int64, newEnd: Date?, justification: String?, by actor: ActorContext) async throws -> Assignment {
        try await transact(actor, attempt: Attempt(.assignmentExtended, assignment: id, justification: justification)) { tx in
            try tx.requireAdministrator()
            let current = try tx.assignment(id)
            guard current.endedReason == nil || current.endedReason == .expired, !current.isActivation else {
                throw PIMError.assignmentEnded
            }
            let role = try tx.role(current.roleID)
            if let oldEnd = current.end, let newEnd, newEnd <= oldEnd { throw PIMError.endBeforeStart }
            let window = try WindowPolicy.adminWindow(
                type: current.type, start: max(current.start, tx.now - Limits.startSkew), end: newEnd,
                settings: role.settings.assignment, now: tx.now)
            let request = try tx.adminRequest(.adminExtend, current, justification: justification, start: nil, end: window.end)
            try Tables.setWindow(id, start: current.start, end: window.end, isActivation: false, now: tx.now, tx.db)
            let updated = try tx.assignment(id)
            try tx.audit(.assignmentExtended, role: role, target: current.principal.description, request: request,
                         assignment: id, justification: justification, details: "until \(WindowText.end(updated.end))")
            try tx.notifyAssigned(updated, role: role, request: request)
            return updated
        }
    }

    /// Gives an expired assignment a new window (a new assignment; the old one stays as history).
    public func renewAssignment(
        id: Int64, start: Date? = nil, end: Date?, justification: String?, by actor: ActorContext
    ) async throws -> Assignment {
        try await transact(actor, attempt: Attempt(.assignmentRenewed, assignment: id, justification: justification)) { tx in
            try tx.requireAdministrator()
            let old = try tx.assignment(id)
            guard old.hasEnded(at: tx.now), old.endedReason != .removed, !old.isActivation else {
                throw PIMError.assignmentNotExpired
            }
            let role = try tx.role(old.roleID)
            let window = try WindowPolicy.adminWindow(type: old.type, start: start, end: end,
                                                      settings: role.settings.assignment, now: tx.now)
            let request = try tx.adminRequest(.adminRenew, old, justification: justification, start: window.start, end: window.end)
            let renewed = try tx.insert(Assignment(
                roleID: old.roleID, principal: old.principal, type: old.type, start: window.start, end: window.end,
                requestID: request, justification: justification, createdBy: actor.username, createdAt: tx.now))
            try Tables.setStatus(request, .provisioned, result: renewed.id, at: tx.now, tx.db)
            try tx.audit(.assignmentRenewed, role: role, target: old.principal.description, request: request,
                         assignment: renewed.id, justification: justification,
                         details: "renews \(old.id): \(WindowText.describe(renewed))")
            try tx.notifyAssigned(renewed, role: role, request: request)
            return renewed
        }
    }

    /// Ends an activation (or any active assignment) now; no 5-minute rule for administrators.
    public func revoke(assignmentID: Int64, justification: String?, by actor: ActorContext) async throws {
        try await transact(actor, attempt: Attempt(.activationRevoked, assignment: assignmentID, justification: justification)) { tx in
            try tx.requireAdministrator()
            let current = try tx.assignment(assignmentID)
            guard current.type == .active else { throw PIMError.notAnActivation }
            guard current.endedReason == nil, !current.hasEnded(at: tx.now) else { throw PIMError.assignmentEnded }
            let role = try tx.role(current.roleID)
            try tx.protectLastAdministrator(role: role, changing: current, newEnd: tx.now)
            try tx.endActivation(current, role: role, reason: .revoked, action: .activationRevoked, justification: justification)
        }
    }

    private func checkActiveAssignmentRequirements(role: Role, justification: String?, _ tx: WriteContext) throws {
        let text = justification.map { String($0.trimming(while: \.isWhitespace)) } ?? ""
        if role.settings.assignment.requireJustificationOnActive, text.isEmpty { throw PIMError.justificationRequired }
        if role.settings.assignment.requireMFAOnActive,
           !WindowPolicy.isFresh(tx.actor.mfaProvenAt, maxAge: Limits.adminProofAge, now: tx.now) {
            throw PIMError.mfaRequired
        }
    }
}

extension WriteContext {
    func requireKnown(_ principal: PrincipalRef) throws {
        let known = principal.kind == .user ? directory.user(named: principal.name) != nil
                                            : directory.group(named: principal.name) != nil
        if !known { throw PIMError.unknownPrincipal(principal.name) }
    }

    func protectLastAdministrator(role: Role, changing assignment: Assignment, newEnd: Date?) throws {
        guard role.builtIn == .pimAdministrator, assignment.type == .active else { return }
        let current = try Tables.activeAssignments(role: role.id, at: now, db)
        if AdministratorProtection.wouldLeaveNoAdministrator(
            changing: assignment.id, newEnd: newEnd, administratorAssignments: current, now: now) {
            throw PIMError.lastAdministrator
        }
    }

    /// Records an administrator's request on an existing assignment, provisioned at once.
    func adminRequest(_ kind: RequestKind, _ a: Assignment, justification: String?, start: Date?, end: Date?) throws -> Int64 {
        var request = AccessRequest.admin(kind, role: a.roleID, principal: a.principal, type: a.type, actor: actor.username,
                                          justification: justification, start: start, end: end, now: now)
        request.targetAssignmentID = a.id
        request.status = .provisioned
        request.closedAt = now
        return try Tables.insert(request, db).id
    }

    func activations(from eligibility: Int64) throws -> [Assignment] {
        try Row.fetchAll(db, sql: """
            SELECT \(Tables.assignmentColumns) FROM assignment WHERE eligibility_id = ? AND ended_reason IS NULL AND (end_at IS NULL OR end_at > ?)
            """, arguments: [eligibility, now.storedValue]).map(Tables.assignment)
    }

    /// Closes an active assignment now, marks the request that made it, audits and mails.
    func endActivation(_ a: Assignment, role: Role, reason: EndReason, action: AuditAction, justification: String?) throws {
        try Tables.close(a.id, end: now, reason: reason, by: actor.username, at: now, db)
        if reason == .revoked, let origin = a.requestID {
            try Tables.setStatus(origin, .revoked, at: now, db)
        }
        try audit(action, role: role, target: a.principal.description, request: a.requestID, assignment: a.id,
                  justification: justification, details: "ended at \(WindowText.end(now))")
        try notifyDirectly(.activationEnded, to: usernames(of: a.principal),
                           payload: facts(role: role, assignment: a, request: a.requestID))
    }
}

extension Assignment {
    func overlaps(start: Date, end: Date?) -> Bool {
        let aEnd = self.end ?? .distantFuture, bEnd = end ?? .distantFuture
        return self.start < bEnd && start < aEnd
    }
}

extension AccessRequest {
    static func admin(
        _ kind: RequestKind, role: Int64, principal: PrincipalRef, type: AssignmentType?, actor: String,
        justification: String?, start: Date?, end: Date?, now: Date
    ) -> AccessRequest {
        AccessRequest(
            id: 0, kind: kind, status: .approved, roleID: role, principal: principal, requester: actor,
            assignmentType: type, justification: justification, ticketSystem: nil, ticketNumber: nil,
            requestedStart: start, requestedEnd: end, durationSeconds: nil, targetAssignmentID: nil,
            resultAssignmentID: nil, approvalsRequired: 0, timeoutAt: nil, mfaProven: false,
            createdAt: now, updatedAt: now, closedAt: nil)
    }
}

/// Windows as the audit log's details show them (UTC, ISO 8601).
enum WindowText {
    static func end(_ date: Date?) -> String {
        date.map { UTCText.iso8601($0) } ?? "permanent"
    }

    static func describe(_ a: Assignment) -> String {
        "\(UTCText.iso8601(a.start)) – \(end(a.end))"
    }
}
