import Algorithms
import Foundation
import GRDB

/// What happened to one role of an activation.
public enum ActivationOutcome: Sendable, Equatable {
    /// Active until the assignment's end ("Activated until HH:MM").
    case activated(Assignment)
    /// Waiting for approval.
    case pending(requestID: Int64)
    /// The role was already active; nothing changed.
    case alreadyActive(Assignment)
}

/// What eligible members do for themselves (My roles).
extension PIMService {
    /// Activates one or several roles with one form (and one MFA proof), all or nothing.
    public func activate(roleIDs: [Int64], form: ActivationForm, by actor: ActorContext) async throws -> [ActivationOutcome] {
        let attempt = Attempt(.roleActivated, role: roleIDs.count == 1 ? roleIDs.first : nil, target: actor.username,
                              justification: form.justification,
                              note: roleIDs.count == 1 ? nil : "roles \(roleIDs.map(String.init).joined(separator: ", "))")
        return try await transact(actor, attempt: attempt) { tx in
            var outcomes: [ActivationOutcome] = []
            for roleID in roleIDs {
                let role = try tx.role(roleID)
                let state = try tx.activationState(role: role)
                switch try ActivationPolicy.decide(state: state, settings: role.settings, form: form, now: tx.now) {
                case .alreadyActive(let held):
                    outcomes.append(.alreadyActive(held))
                case .activate(let eligibility, let start, let end):
                    let request = try tx.insertSelfRequest(.selfActivate, role: role, form: form, start: start,
                                                           status: .provisioned, eligibility: eligibility)
                    outcomes.append(.activated(try tx.provisionActivation(request, role: role, eligibilityID: eligibility,
                                                                          start: start, end: end)))
                case .requestApproval(let eligibility, let start, _, let timeoutAt):
                    let request = try tx.insertSelfRequest(.selfActivate, role: role, form: form, start: start,
                                                           status: .pendingApproval, eligibility: eligibility, timeoutAt: timeoutAt)
                    try tx.openForApproval(request, role: role, action: .activationRequested)
                    outcomes.append(.pending(requestID: request.id))
                }
            }
            return outcomes
        }
    }

    /// Ends one's own activation early (not in its first 5 minutes).
    public func deactivate(assignmentID: Int64, by actor: ActorContext) async throws {
        try await transact(actor, attempt: Attempt(.roleDeactivated, assignment: assignmentID)) { tx in
            let current = try tx.assignment(assignmentID)
            guard current.principal == .user(actor.username) else { throw PIMError.notYourAssignment }
            guard current.isActivation else { throw PIMError.notAnActivation }
            guard current.endedReason == nil, !current.hasEnded(at: tx.now) else { throw PIMError.assignmentEnded }
            if current.start <= tx.now, tx.now.timeIntervalSince(current.start) < Limits.deactivationGrace {
                throw PIMError.deactivationTooSoon
            }
            let role = try tx.role(current.roleID)
            try tx.protectLastAdministrator(role: role, changing: current, newEnd: tx.now)
            var request = AccessRequest.admin(.selfDeactivate, role: role.id, principal: current.principal, type: nil,
                                              actor: actor.username, justification: nil, start: nil, end: tx.now, now: tx.now)
            request.targetAssignmentID = current.id
            request.status = .provisioned
            request.closedAt = tx.now
            let stored = try Tables.insert(request, tx.db)
            try Tables.close(current.id, end: tx.now, reason: .deactivated, by: actor.username, at: tx.now, tx.db)
            try tx.audit(.roleDeactivated, role: role, target: actor.username, request: stored.id, assignment: current.id)
        }
    }

    /// Extends one's own activation: a `selfExtend` request through the activation checks.
    public func extendActivation(assignmentID: Int64, form: ActivationForm, by actor: ActorContext) async throws -> ActivationOutcome {
        try await transact(actor, attempt: Attempt(.activationExtended, assignment: assignmentID, justification: form.justification)) { tx in
            try Self.extend(assignmentID: assignmentID, form: form, by: actor, in: tx)
        }
    }

    private static func extend(assignmentID: Int64, form: ActivationForm, by actor: ActorContext,
                               in tx: WriteContext) throws -> ActivationOutcome {
        let current = try tx.assignment(assignmentID)
        guard current.principal == .user(actor.username) else { throw PIMError.notYourAssignment }
        guard current.isActivation else { throw PIMError.notAnActivation }
        guard current.endedReason == nil, !current.hasEnded(at: tx.now) else { throw PIMError.assignmentEnded }
        let role = try tx.role(current.roleID)
        var state = try tx.activationState(role: role)
        state.activeAssignments = []
        var extensionForm = form
        extensionForm.start = nil
        let window = try ActivationPolicy.window(state: state, settings: role.settings, form: extensionForm, now: tx.now)
        guard let currentEnd = current.end, window.end > currentEnd else { throw PIMError.extensionNotLonger }
        try ActivationPolicy.checkRequirements(settings: role.settings.activation, form: form,
                                               mfaProvenAt: actor.mfaProvenAt, now: tx.now)
        if role.settings.activation.requireApproval {
            var request = try tx.insertSelfRequest(
                .selfExtend, role: role, form: extensionForm, start: tx.now, status: .pendingApproval,
                eligibility: window.eligibility.id,
                timeoutAt: tx.now + Double(role.settings.activation.approvalTimeoutHours) * 3600)
            try tx.db.execute(sql: "UPDATE request SET target_assignment_id = ? WHERE id = ?", arguments: [current.id, request.id])
            request.targetAssignmentID = current.id
            try tx.openForApproval(request, role: role, action: .activationRequested)
            return .pending(requestID: request.id)
        }
        var request = try tx.insertSelfRequest(.selfExtend, role: role, form: extensionForm, start: tx.now,
                                               status: .provisioned, eligibility: window.eligibility.id)
        request.targetAssignmentID = current.id
        try tx.db.execute(sql: "UPDATE request SET target_assignment_id = ? WHERE id = ?", arguments: [current.id, request.id])
        return .activated(try tx.provisionActivation(request, role: role, eligibilityID: window.eligibility.id,
                                                     start: tx.now, end: window.end))
    }

    /// Asks the approvers to extend one's own expiring eligible or active assignment.
    public func requestExtension(assignmentID: Int64, justification: String?, by actor: ActorContext) async throws -> Int64 {
        try await requestAssignmentChange(.selfExtend, assignmentID: assignmentID, justification: justification, by: actor)
    }

    /// Asks the approvers to renew one's own expired assignment.
    public func requestRenewal(assignmentID: Int64, justification: String?, by actor: ActorContext) async throws -> Int64 {
        try await requestAssignmentChange(.selfRenew, assignmentID: assignmentID, justification: justification, by: actor)
    }

    private func requestAssignmentChange(
        _ kind: RequestKind, assignmentID: Int64, justification: String?, by actor: ActorContext
    ) async throws -> Int64 {
        let attempt = Attempt(kind == .selfExtend ? .extensionRequested : .renewalRequested, assignment: assignmentID,
                              justification: justification)
        return try await transact(actor, attempt: attempt) { tx in
            let current = try tx.assignment(assignmentID)
            guard current.principal == .user(actor.username) else { throw PIMError.notYourAssignment }
            guard !current.isActivation, current.endedReason != .removed, current.endedReason != .revoked else {
                throw PIMError.assignmentEnded
            }
            if kind == .selfExtend, current.end == nil || current.hasEnded(at: tx.now) { throw PIMError.assignmentEnded }
            if kind == .selfRenew, !current.hasEnded(at: tx.now) { throw PIMError.assignmentNotExpired }
            let role = try tx.role(current.roleID)
            let text = justification.map { String($0.trimming(while: \.isWhitespace)) } ?? ""
            if text.isEmpty { throw PIMError.justificationRequired }
            let pending = try Bool.fetchOne(tx.db, sql: """
                SELECT 1 FROM request WHERE target_assignment_id = ? AND status = 'PendingApproval'
                  AND kind IN ('selfExtend', 'selfRenew') LIMIT 1
                """, arguments: [assignmentID]) ?? false
            if pending { throw PIMError.pendingRequestExists(role: role.name) }
            var request = AccessRequest.admin(kind, role: role.id, principal: current.principal, type: current.type,
                                              actor: actor.username, justification: justification, start: nil, end: nil, now: tx.now)
            request.status = .pendingApproval
            request.targetAssignmentID = assignmentID
            request.approvalsRequired = 1
            request.timeoutAt = tx.now + Double(role.settings.activation.approvalTimeoutHours) * 3600
            let stored = try Tables.insert(request, tx.db)
            try tx.openForApproval(stored, role: role, action: kind == .selfExtend ? .extensionRequested : .renewalRequested)
            return stored.id
        }
    }

    /// Withdraws one's own pending request.
    public func cancel(requestID: Int64, by actor: ActorContext) async throws {
        try await transact(actor, attempt: Attempt(.requestCanceled, request: requestID)) { tx in
            guard let request = try Tables.fetchRequest(requestID, tx.db) else { throw PIMError.requestNotFound }
            guard request.requester == actor.username else { throw PIMError.notRequester }
            guard request.status == .pendingApproval else { throw PIMError.requestNotPending(request.status) }
            let role = try tx.role(request.roleID)
            try Tables.setStatus(requestID, .canceled, at: tx.now, tx.db)
            try tx.audit(.requestCanceled, role: role, target: request.principal.description, request: requestID)
            let payload = tx.facts(role: role, assignment: nil, request: requestID, requestFacts: request)
            try tx.notifyDirectly(.requestCanceled, to: [request.requester], payload: payload)
            try tx.notifyDirectly(.requestDecided, to: tx.usernames(of: Tables.approvers(of: requestID, tx.db))
                .subtracting([request.requester]), payload: payload)
        }
    }
}

extension WriteContext {
    /// The eligibility and activity of the actor for a role, directly or through their groups.
    func activationState(role: Role) throws -> ActivationState {
        let principals = principals(of: actor.username)
        let pending = try Tables.one(db, """
            SELECT 1 FROM request WHERE role_id = ? AND requester = ? AND status = 'PendingApproval'
              AND kind IN ('selfActivate', 'selfExtend') LIMIT 1
            """, bind: { $0.bind(role.id); $0.bind(actor.username) }) { _ in true } ?? false
        let open = try Tables.openAssignments(role: role.id, principals: principals, db)
        return ActivationState(
            roleName: role.name, eligibilities: open.eligible, activeAssignments: open.active,
            hasPendingRequest: pending, mfaProvenAt: actor.mfaProvenAt)
    }

    func insertSelfRequest(
        _ kind: RequestKind, role: Role, form: ActivationForm, start: Date, status: RequestStatus,
        eligibility: Int64, timeoutAt: Date? = nil
    ) throws -> AccessRequest {
        try Tables.insert(AccessRequest(
            id: 0, kind: kind, status: status, roleID: role.id, principal: .user(actor.username), requester: actor.username,
            assignmentType: nil, justification: form.justification, ticketSystem: form.ticketSystem,
            ticketNumber: form.ticketNumber, requestedStart: start, requestedEnd: nil,
            durationSeconds: form.durationMinutes * 60, targetAssignmentID: eligibility, resultAssignmentID: nil,
            approvalsRequired: status == .pendingApproval ? role.settings.activation.approvalsRequired : 0,
            timeoutAt: timeoutAt, mfaProven: actor.mfaProvenAt != nil, createdAt: now, updatedAt: now,
            closedAt: status.isFinal ? now : nil), db)
    }

    /// Records who may decide, audits the request and asks the approvers.
    func openForApproval(_ request: AccessRequest, role: Role, action: AuditAction) throws {
        let approvers = ApprovalPolicy.approvers(for: role.settings.activation)
        try Tables.insertApprovers(approvers, request: request.id, db)
        try audit(action, role: role, target: request.principal.description, request: request.id,
                  justification: request.justification, ticket: request.ticketText,
                  details: request.durationSeconds.map { "duration \(DurationText.format(minutes: $0 / 60))" } ?? request.kind.rawValue)
        try notifyApprovers(request, approvers: approvers, role: role)
    }

    /// Makes (or extends) the activation of an approved request: change, audit, mail.
    func provisionActivation(_ request: AccessRequest, role: Role, eligibilityID: Int64, start: Date, end: Date) throws -> Assignment {
        let user = request.requester
        let assignment: Assignment
        let action: AuditAction
        if request.kind == .selfExtend, let targetID = request.targetAssignmentID,
           let target = try Tables.fetchAssignment(targetID, db), target.isActivation, target.endedReason == nil, target.covers(now) {
            try Tables.setWindow(targetID, start: target.start, end: end, isActivation: true, now: now, db)
            assignment = try self.assignment(targetID)
            action = .activationExtended
        } else {
            assignment = try insert(Assignment(
                roleID: role.id, principal: .user(user), type: .active, start: start, end: end, isActivation: true,
                eligibilityID: eligibilityID, requestID: request.id, justification: request.justification,
                createdBy: user, createdAt: now))
            action = .roleActivated
        }
        if request.status == .provisioned {
            // Made provisioned (no approval needed): only its result is new, a column no index
            // holds, where a status change would move the request in two indexes.
            try Tables.setResult(request.id, assignment.id, db)
        } else {
            try Tables.setStatus(request.id, .provisioned, result: assignment.id, at: now, db)
        }
        try audit(action, role: role, target: user, request: request.id, assignment: assignment.id,
                  justification: request.justification, ticket: request.ticketText,
                  details: "active \(WindowText.describe(assignment))")
        try notifyActivated(assignment, role: role, request: request)
        return assignment
    }
}
