public import Foundation

/// TOTP policy (RFC 6238 parameters are fixed: SHA-1, 6 digits, 30 s).
public struct TOTPConfiguration: Sendable, Equatable {
    /// The issuer shown in authenticator apps. Default "PIM".
    public var issuer: String
    /// Accepted clock drift in steps either side. Default 1.
    public var window: Int
    /// Wrong codes in a row that lock TOTP for the user. Default 5.
    public var maxFailures: Int
    /// How long the lock lasts. Default 15 min.
    public var lockDuration: TimeInterval
    /// An enrolment not confirmed within this time must be started again. Default 30 min.
    public var pendingLifetime: TimeInterval
    /// Re-enrolment needs an MFA proof in the session no older than this. Default 5 min.
    public var reenrolmentFreshness: TimeInterval

    public init(issuer: String = "PIM", window: Int = 1, maxFailures: Int = 5, lockDuration: TimeInterval = 15 * 60,
                pendingLifetime: TimeInterval = 30 * 60, reenrolmentFreshness: TimeInterval = 5 * 60) {
        self.issuer = issuer
        self.window = window
        self.maxFailures = maxFailures
        self.lockDuration = lockDuration
        self.pendingLifetime = pendingLifetime
        self.reenrolmentFreshness = reenrolmentFreshness
    }
}

/// What the enrolment page shows: scan the QR code or type the secret.
public struct TOTPEnrolment: Sendable, Equatable {
    /// The `otpauth://` Key URI. Contains the secret: never log it.
    public let uri: String
    /// An inline `<svg>` of the URI as a QR code (safe to embed raw: built from digits only).
    public let qrCodeSVG: String
    /// The secret in base32, in groups of four ("ABCD EFGH …").
    public let secretGroups: String
}

/// Where a user stands with TOTP.
public struct TOTPStatus: Sendable, Equatable {
    public let enrolled: Bool
    public let enrolledAt: Date?
    /// An enrolment is started but not yet confirmed with a code.
    public let pendingEnrolment: Bool
    public let lockedUntil: Date?
}

/// The outcome of checking a code.
public enum TOTPVerification: Sendable, Equatable {
    /// Right code, first use: the fresh proof time to record on the session.
    case accepted(at: Date)
    case wrongCode(remainingAttempts: Int)
    /// Not six ASCII digits; not counted as an attempt.
    case malformed
    /// A code that was already accepted (or an older one): refused and audited.
    case replayed
    case locked(until: Date)
    /// No active (or, when confirming, no pending) enrolment.
    case notEnrolled

    public var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }

    /// The sentence the form shows; nil when accepted.
    public func message(now: Date) -> String? {
        switch self {
        case .accepted: nil
        case .wrongCode(let remaining):
            "That code is not right. \(remaining) more \(remaining == 1 ? "try" : "tries") before codes are locked for 15 minutes."
        case .malformed: "Enter the 6 digits your authenticator app shows."
        case .replayed: "That code was already used. Wait for the next code and enter it."
        case .locked(let until):
            "Too many wrong codes. Try again in \(RetryWording.duration(until.timeIntervalSince(now)))."
        case .notEnrolled: "Set up your authenticator app first."
        }
    }
}

public enum TOTPError: Error, Sendable, Equatable {
    /// Re-enrolment of an enrolled user needs a recent code in this session.
    case freshProofRequired
}
