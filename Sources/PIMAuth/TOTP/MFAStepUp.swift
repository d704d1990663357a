public import Foundation

/// Step-up: the user proves a TOTP code within a session. Activation and approval use cases
/// compare the recorded proof time with the role's freshness policy (`Session.hasFreshMFA`).
public struct MFAStepUp: Sendable {
    public enum Result: Sendable, Equatable {
        /// Proof recorded; the session now has a new id (set the cookie from `newID`).
        case proven(newID: SessionID, at: Date)
        case refused(TOTPVerification)
        /// The session ended meanwhile; sign in again.
        case sessionEnded
    }

    private let totp: TOTPService
    private let sessions: SessionStore

    public init(totp: TOTPService, sessions: SessionStore) {
        self.totp = totp
        self.sessions = sessions
    }

    /// Verifies `code` for the session's user and, if right, rotates the session id and records
    /// the proof time on it.
    public func stepUp(_ session: Session, code: String, sourceAddress: String?) throws -> Result {
        try proven(session, try totp.verify(user: session.username, code: code, sourceAddress: sourceAddress))
    }

    /// Confirms the session user's started enrolment; the first right code is also a proof, so the
    /// session is rotated and the proof time recorded, as for a step-up.
    public func confirmEnrolment(_ session: Session, code: String, sourceAddress: String?) throws -> Result {
        try proven(session, try totp.confirmEnrolment(user: session.username, code: code, sourceAddress: sourceAddress))
    }

    private func proven(_ session: Session, _ outcome: TOTPVerification) throws -> Result {
        guard case .accepted(let at) = outcome else { return .refused(outcome) }
        guard let newID = try sessions.rotate(session.id, mfaVerifiedAt: at) else { return .sessionEnded }
        return .proven(newID: newID, at: at)
    }
}
