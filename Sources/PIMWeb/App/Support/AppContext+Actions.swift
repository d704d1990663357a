import Foundation
import PIMAuth
import PIMCore

extension AppContext {
    /// The actor of a PIMCore use case: this user, their address, and their session's MFA proof
    /// (or a proof just made with a code in this request).
    func actor(mfaProvenAt: Date? = nil) -> ActorContext {
        ActorContext(username: username, sourceAddress: request.remoteAddress,
                     mfaProvenAt: mfaProvenAt ?? session?.mfaVerifiedAt, groups: user?.groups)
    }

    /// The same request seen through a session that was just rotated (after a TOTP step-up):
    /// forms rendered from here carry the new session's CSRF token.
    func with(session fresh: Session) -> AppContext {
        AppContext(request: request, environment: environment, session: fresh, user: user, roles: roles, now: now,
                   preloaded: preloaded)
    }
}

/// A TOTP step-up made while handling a form: the proof time for PIMCore and the rotated session
/// whose cookie the response must set.
struct StepUpResult {
    let provenAt: Date
    let session: Session
    let setCookie: String
}

enum StepUpOutcome {
    case proven(StepUpResult)
    /// The sentence to show at the code field.
    case refused(String)
}

extension AppContext {
    /// Verifies `code` for this user (replay-guarded, throttled by PIMAuth) and rotates the session.
    func stepUp(code: String) throws -> StepUpOutcome {
        guard let session else { return .refused("Please sign in again.") }
        switch try environment.stepUp.stepUp(session, code: code, sourceAddress: request.remoteAddress) {
        case .proven(let newID, let at):
            guard let fresh = try environment.sessions.load(token: newID.token).session else {
                return .refused("Please sign in again.")
            }
            return .proven(StepUpResult(provenAt: at, session: fresh,
                                        setCookie: SessionCookie.setCookie(newID, secure: request.isSecure)))
        case .refused(let verification):
            return .refused(verification.message(now: now) ?? "That code is not right.")
        case .sessionEnded:
            return .refused("Please sign in again.")
        }
    }
}
