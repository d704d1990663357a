/// The audit actions PIMAuth writes (AuditEventDraft.action).
public enum AuthAuditAction {
    public static let signIn = "auth.sign-in"
    public static let signOut = "auth.sign-out"
    public static let sessionsEnded = "auth.sessions-ended"
    public static let mfaEnrolled = "mfa.enrolled"
    public static let mfaRemoved = "mfa.removed"
    public static let mfaReset = "mfa.reset"
    public static let mfaVerified = "mfa.verified"
    public static let mfaFailed = "mfa.failed"
    public static let mfaReplay = "mfa.replay-refused"
    public static let mfaLocked = "mfa.locked"
}
