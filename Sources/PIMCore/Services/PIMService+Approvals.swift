import Foundation
import GRDB

/// Approve / deny (N distinct approvers, one denial denies) and what follows an approval.
extension PIMService {
    public func approve(requestID: Int64, justification: String?, by actor: ActorContext) async throws -> ApprovalOutcome {
        try await decide(requestID: requestID, decision: .approve, justification: justification, by: actor)
    }

    public func deny(requestID: Int64, justification: String?, by actor: ActorContext) async throws -> ApprovalOutcome {
        try await decide(requestID: requestID, decision: .deny, justification: justification, by: actor)
    }

    public func decide(
        requestID: Int64, decision: ApprovalDecision, justification: String?, by actor: ActorContext
    ) async throws -> ApprovalOutcome {
        let attempt = Attempt(decision == .approve ? .requestApproved : .requestDenied, request: requestID, justification: justification)
        return try await transact(actor, attempt: attempt) { tx in
            guard let request = try Tables.fetchRequest(requestID, tx.db) else { throw PIMError.requestNotFound }
            let role = try tx.role(request.roleID)
            let approvers = try Tables.approvers(of: requestID, tx.db)
            let state = ApprovalState(request: request, approvers: approvers, decisions: try Tables.decisions(of: requestID, tx.db))
            let identity = ApproverIdentity(
                username: actor.username, groups: tx.groups(ofUser: actor.username),
                isPIMAdministrator: try tx.isAdministrator(actor.username), mfaProvenAt: actor.mfaProvenAt)
            let outcome = try ApprovalPolicy.decide(state: state, approver: identity, decision: decision,
                                                    justification: justification, settings: role.settings.activation, now: tx.now)
            try tx.db.execute(sql: """
                INSERT INTO request_decision (request_id, approver, decision, justification, mfa_proven, decided_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [requestID, actor.username, decision.rawValue, justification, actor.mfaProvenAt != nil, tx.now.storedValue])
            let payload = tx.facts(role: role, assignment: nil, request: requestID, requestFacts: request)
                .merging(["decision": decision.rawValue, "decisionJustification": justification ?? "", "decidedBy": actor.username,
                          "decidedByName": tx.displayName(of: actor.username) ?? ""]) { $1 }
            let others = try tx.usernames(of: approvers).subtracting([actor.username, request.requester])
            switch outcome {
            case .recorded(let remaining):
                try tx.audit(.requestApprovalRecorded, role: role, target: request.principal.description, request: requestID,
                             justification: justification, details: "\(remaining) more approval(s) needed")
            case .denied:
                try Tables.setStatus(requestID, .denied, at: tx.now, tx.db)
                try tx.audit(.requestDenied, role: role, target: request.principal.description, request: requestID,
                             justification: justification)
                try tx.notifyDirectly(.requestDenied, to: [request.requester], payload: payload)
                try tx.notifyDirectly(.requestDecided, to: others, payload: payload)
            case .approved:
                try Tables.setStatus(requestID, .approved, at: tx.now, tx.db)
                try tx.audit(.requestApproved, role: role, target: request.principal.description, request: requestID,
                             justification: justification)
                try tx.notifyDirectly(.requestApproved, to: [request.requester], payload: payload)
                try tx.notifyDirectly(.requestDecided, to: others, payload: payload)
                try tx.provisionApproved(request, role: role)
            }
            return outcome
        }
    }
}

extension WriteContext {
    /// Carries out an approved request. An activation starts at approval (or its later custom
    /// start) and never outlasts its eligibility; if the eligibility is gone, the request fails.
    func provisionApproved(_ request: AccessRequest, role: Role) throws {
        if request.isActivationKind {
            let eligibilityID: Int64? = if request.kind == .selfExtend, let target = request.targetAssignmentID {
                try Tables.fetchAssignment(target, db)?.eligibilityID
            } else { request.targetAssignmentID }
            let start = max(now, request.requestedStart ?? now)
            guard let eligibilityID, let eligibility = try Tables.fetchAssignment(eligibilityID, db),
                  eligibility.endedReason == nil, eligibility.covers(start) else {
                return try fail(request, role: role, reason: "eligibility no longer covers the start")
            }
            let end = ActivationPolicy.clampedEnd(start: start, durationSeconds: request.durationSeconds ?? 0, eligibility: eligibility)
            guard end.timeIntervalSince(start) >= Limits.minimumAssignment else {
                return try fail(request, role: role, reason: "eligibility ends in less than 5 minutes")
            }
            _ = try provisionActivation(request, role: role, eligibilityID: eligibilityID, start: start, end: end)
            return
        }
        guard let targetID = request.targetAssignmentID, let target = try Tables.fetchAssignment(targetID, db) else {
            return try fail(request, role: role, reason: "assignment no longer exists")
        }
        let expiry = role.settings.assignment.expiry(for: target.type)
        if request.kind == .selfRenew {
            let end = expiry.map { now + $0.seconds }
            let renewed = try insert(Assignment(
                roleID: role.id, principal: target.principal, type: target.type, start: now, end: end,
                requestID: request.id, justification: request.justification, createdBy: actor.username, createdAt: now))
            try Tables.setStatus(request.id, .provisioned, result: renewed.id, at: now, db)
            try audit(.assignmentRenewed, role: role, target: target.principal.description, request: request.id,
                      assignment: renewed.id, justification: request.justification, details: "renews \(target.id): \(WindowText.describe(renewed))")
            try notifyAssigned(renewed, role: role, request: request.id)
        } else {
            guard target.endedReason == nil || target.endedReason == .expired else {
                return try fail(request, role: role, reason: "assignment was removed")
            }
            let end = expiry.map { max(target.end ?? now, now) + $0.seconds }
            try Tables.setWindow(target.id, start: target.start, end: end, isActivation: false, now: now, db)
            let extended = try assignment(target.id)
            try Tables.setStatus(request.id, .provisioned, result: target.id, at: now, db)
            try audit(.assignmentExtended, role: role, target: target.principal.description, request: request.id,
                      assignment: target.id, justification: request.justification, details: "until \(WindowText.end(end))")
            try notifyAssigned(extended, role: role, request: request.id)
        }
    }

    private func fail(_ request: AccessRequest, role: Role, reason: String) throws {
        try Tables.setStatus(request.id, .failed, at: now, db)
        try audit(.requestFailed, role: role, target: request.principal.description, request: request.id, details: reason)
    }
}
