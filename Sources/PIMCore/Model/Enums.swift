/// Eligible: may activate. Active: holds the role during the window.
public enum AssignmentType: String, Sendable, Codable, CaseIterable {
    case eligible, active
}

/// Why an assignment's window was cut short or closed (nil while it runs its course).
public enum EndReason: String, Sendable, Codable {
    case removed, revoked, deactivated, expired, replaced
}

/// Every kind of request of SPEC.md (Words → Request).
public enum RequestKind: String, Sendable, Codable, CaseIterable {
    case adminAssign, adminUpdate, adminRemove, adminExtend, adminRenew
    case selfActivate, selfDeactivate, selfExtend, selfRenew
}

public enum RequestStatus: String, Sendable, Codable, CaseIterable {
    case pendingApproval = "PendingApproval"
    case approved = "Approved"
    case provisioned = "Provisioned"
    case denied = "Denied"
    case canceled = "Canceled"
    case timedOut = "TimedOut"
    case revoked = "Revoked"
    case failed = "Failed"

    public var isFinal: Bool { self != .pendingApproval && self != .approved }
}

public enum ApprovalDecision: String, Sendable, Codable {
    case approve, deny
}
