import Algorithms
public import Foundation

/// A pending request as an approver sees it.
public struct ApprovalState: Sendable {
    public var request: AccessRequest
    public var approvers: Set<ApproverRef>
    public var decisions: [RequestDecision]

    public init(request: AccessRequest, approvers: Set<ApproverRef>, decisions: [RequestDecision]) {
        self.request = request
        self.approvers = approvers
        self.decisions = decisions
    }
}

/// Who is deciding, with what they know about themselves.
public struct ApproverIdentity: Sendable {
    public var username: String
    public var groups: [String]
    public var isPIMAdministrator: Bool
    public var mfaProvenAt: Date?

    public init(username: String, groups: [String], isPIMAdministrator: Bool, mfaProvenAt: Date?) {
        self.username = username
        self.groups = groups
        self.isPIMAdministrator = isPIMAdministrator
        self.mfaProvenAt = mfaProvenAt
    }
}

public enum ApprovalOutcome: Sendable, Equatable {
    /// Recorded; this many more distinct approvals are needed.
    case recorded(remaining: Int)
    case approved
    case denied
}

/// May this approver decide, and what follows (N distinct approvers; one denial denies).
public enum ApprovalPolicy {
    public static func isApprover(_ identity: ApproverIdentity, of approvers: Set<ApproverRef>) -> Bool {
        if approvers.contains(.user(identity.username)) { return true }
        if identity.groups.contains(where: { approvers.contains(.group($0)) }) { return true }
        return identity.isPIMAdministrator && approvers.contains(.pimAdministrators)
    }

    public static func decide(
        state: ApprovalState, approver: ApproverIdentity, decision: ApprovalDecision,
        justification: String?, settings: ActivationSettings, now: Date
    ) throws(PIMError) -> ApprovalOutcome {
        guard state.request.status == .pendingApproval else { throw .requestNotPending(state.request.status) }
        guard approver.username != state.request.requester else { throw .selfApproval }
        guard isApprover(approver, of: state.approvers) else { throw .notAnApprover }
        guard !state.decisions.contains(where: { $0.approver == approver.username }) else { throw .alreadyDecided }
        let text = justification.map { String($0.trimming(while: \.isWhitespace)) } ?? ""
        if settings.requireApproverJustification, text.isEmpty { throw .approverJustificationRequired }
        if settings.requireApproverMFA,
           !WindowPolicy.isFresh(approver.mfaProvenAt, maxAge: Limits.adminProofAge, now: now) {
            throw .approverMFARequired
        }
        if decision == .deny { return .denied }
        let approvals = Set(state.decisions.filter { $0.decision == .approve }.map(\.approver)).count + 1
        let required = max(1, state.request.approvalsRequired)
        return approvals >= required ? .approved : .recorded(remaining: required - approvals)
    }

    /// The approvers of an activation: the role's users and groups, else PIM Administrators.
    public static func approvers(for settings: ActivationSettings) -> Set<ApproverRef> {
        let chosen = Set(settings.approverUsers.map(ApproverRef.user) + settings.approverGroups.map(ApproverRef.group))
        return chosen.isEmpty ? [.pimAdministrators] : chosen
    }
}

/// Who holds a role at an instant: computed from windows only (start ≤ t < end).
public enum HoldingPolicy {
    /// Whether `user` (a member of `groups`) holds the role through any of these active assignments.
    public static func holds(user: String, groups: [String], assignments: [Assignment], at instant: Date) -> Bool {
        assignments.contains { a in
            a.type == .active && a.covers(instant)
                && (a.principal == .user(user) || (a.principal.kind == .group && groups.contains(a.principal.name)))
        }
    }

    /// The users holding the role at `instant`, expanding group assignments through `members`.
    public static func holders(
        of assignments: [Assignment], at instant: Date, members: (String) -> [String]
    ) -> Set<String> {
        holders(ofPrincipals: assignments.filter { $0.type == .active && $0.covers(instant) }.map(\.principal), members: members)
    }

    /// The users these principals (of active assignments covering now) stand for.
    public static func holders(ofPrincipals principals: [PrincipalRef], members: (String) -> [String]) -> Set<String> {
        var users = Set<String>()
        for principal in principals {
            switch principal.kind {
            case .user: users.insert(principal.name)
            case .group: users.formUnion(members(principal.name))
            }
        }
        return users
    }
}

/// The last PIM Administrator is protected: no change may leave no active PIM Administrator
/// assignment covering now.
public enum AdministratorProtection {
    /// `administratorAssignments`: the active assignments of PIM Administrator. `changing`: the
    /// assignment about to end or shrink, with its new end (`now` for removal or revocation).
    public static func wouldLeaveNoAdministrator(
        changing id: Int64, newEnd: Date?, administratorAssignments: [Assignment], now: Date
    ) -> Bool {
        let remaining = administratorAssignments.map { a -> Assignment in
            var copy = a
            if a.id == id { copy.end = newEnd }
            return copy
        }
        let hadOne = administratorAssignments.contains { $0.type == .active && $0.covers(now) }
        let stillOne = remaining.contains { $0.type == .active && $0.covers(now) }
        return hadOne && !stillOne
    }
}
