/// The actions the audit log records (the Action filter of the Audit page).
public enum AuditAction: String, Sendable, CaseIterable {
    case roleCreated, roleUpdated, roleDeleted, roleSettingsUpdated
    case assignmentAdded, assignmentUpdated, assignmentRemoved, assignmentExtended, assignmentRenewed
    case assignmentExpired
    case activationRequested, roleActivated, activationExtended, roleDeactivated, activationRevoked, activationExpired
    case extensionRequested, renewalRequested
    case requestApprovalRecorded, requestApproved, requestDenied, requestCanceled, requestTimedOut, requestFailed
    case administratorBootstrapped
}
