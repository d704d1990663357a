public import Foundation

/// One assignment row: principal × role × type × window.
public struct Assignment: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var roleID: Int64
    public var principal: PrincipalRef
    public var type: AssignmentType
    public var start: Date
    /// nil: permanent.
    public var end: Date?
    /// True for an active assignment made by activating an eligible one.
    public var isActivation: Bool
    /// The eligible assignment an activation came from.
    public var eligibilityID: Int64?
    /// The request that made it.
    public var requestID: Int64?
    public var justification: String?
    public var createdBy: String
    public var createdAt: Date
    public var endedReason: EndReason?
    public var endedAt: Date?
    public var endedBy: String?
    /// 0 none, 1: the 14-day reminder was sent, 2: the 1-day one, 3: the 10-minute one.
    public var reminderLevel: Int

    public init(
        id: Int64 = 0, roleID: Int64, principal: PrincipalRef, type: AssignmentType, start: Date, end: Date?,
        isActivation: Bool = false, eligibilityID: Int64? = nil, requestID: Int64? = nil,
        justification: String? = nil, createdBy: String = "system", createdAt: Date? = nil,
        endedReason: EndReason? = nil, endedAt: Date? = nil, endedBy: String? = nil, reminderLevel: Int = 0
    ) {
        self.id = id
        self.roleID = roleID
        self.principal = principal
        self.type = type
        self.start = start
        self.end = end
        self.isActivation = isActivation
        self.eligibilityID = eligibilityID
        self.requestID = requestID
        self.justification = justification
        self.createdBy = createdBy
        self.createdAt = createdAt ?? start
        self.endedReason = endedReason
        self.endedAt = endedAt
        self.endedBy = endedBy
        self.reminderLevel = reminderLevel
    }

    /// Whether the window covers `instant` (start ≤ t < end). This alone says who holds a role.
    public func covers(_ instant: Date) -> Bool {
        start <= instant && (end.map { instant < $0 } ?? true)
    }

    public var isPermanent: Bool { end == nil }

    /// The window has closed by `instant`.
    public func hasEnded(at instant: Date) -> Bool { end.map { $0 <= instant } ?? false }
}

/// One request of any kind with its lifecycle fields.
public struct AccessRequest: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var kind: RequestKind
    public var status: RequestStatus
    public var roleID: Int64
    public var principal: PrincipalRef
    public var requester: String
    public var assignmentType: AssignmentType?
    public var justification: String?
    public var ticketSystem: String?
    public var ticketNumber: String?
    public var requestedStart: Date?
    public var requestedEnd: Date?
    public var durationSeconds: Int?
    public var targetAssignmentID: Int64?
    public var resultAssignmentID: Int64?
    public var approvalsRequired: Int
    public var timeoutAt: Date?
    public var mfaProven: Bool
    public var createdAt: Date
    public var updatedAt: Date
    public var closedAt: Date?
}

/// One approver's answer.
public struct RequestDecision: Sendable, Equatable {
    public var approver: String
    public var decision: ApprovalDecision
    public var justification: String?
    public var decidedAt: Date

    public init(approver: String, decision: ApprovalDecision, justification: String?, decidedAt: Date) {
        self.approver = approver
        self.decision = decision
        self.justification = justification
        self.decidedAt = decidedAt
    }
}

/// Who may decide a request, fixed when it is made.
public enum ApproverRef: Hashable, Sendable {
    case user(String)
    case group(String)
    case pimAdministrators
}

extension AccessRequest {
    /// Activations and extensions of activations (as opposed to extending or renewing an assignment).
    public var isActivationKind: Bool {
        kind == .selfActivate || (kind == .selfExtend && assignmentType == nil)
    }

    /// "SYSTEM 123" for the audit log's ticket column.
    var ticketText: String? {
        let text = [ticketSystem, ticketNumber].compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: " ")
        return text.isEmpty ? nil : text
    }
}
