/// The kinds of mail PIMCore queues (SPEC.md's matrix and issue 7's list). PIMMail renders a
/// template per kind; the strings are stored in `outbox.kind`.
public enum OutboxKind: String, Sendable, CaseIterable {
    // The matrix: admins / assignee / approvers for the three sections.
    case roleAssignmentAlert          // admins: members assigned as eligible or active
    case assignedNotification         // assignee: you were assigned
    case approveExtensionRequest      // approvers: request to approve an extension/renewal
    case roleActivationAlert          // admins: an eligible member activated
    case activatedNotification        // the activated user
    case approveActivationRequest     // approvers: request to approve an activation
    // Outcomes of requests.
    case requestApproved, requestDenied, requestTimedOut, requestCanceled
    case requestDecided               // other approvers: someone already decided
    // Time.
    case activationEnded
    case activationEndingSoon         // 10 minutes ahead, with an Extend link
    case assignmentExpiring           // 14 days and 1 day ahead (payload "inDays")
    case lastAdministratorExpiring    // the last PIM Administrator assignment is expiring
    case assignmentRemoved
    // The user's own account (PIMAuth, issue 7): queued with the audit event.
    case mfaReset                     // an administrator reset your MFA
    case mfaLocked                    // codes locked after too many wrong ones
    case signInLocked                 // sign-in locked after too many wrong passwords

    /// Mails that ask the recipient to act; the only ones a "critical emails only" row sends.
    public var isCritical: Bool {
        switch self {
        case .approveExtensionRequest, .approveActivationRequest, .lastAdministratorExpiring: return true
        default: return false
        }
    }
}
