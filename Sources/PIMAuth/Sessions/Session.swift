public import Foundation

/// Session lifetimes. Both are enforced on the server with the injected clock.
public struct SessionConfiguration: Sendable, Equatable {
    /// A session unused this long ends. Default 30 min.
    public var idleTimeout: TimeInterval
    /// A session ends this long after sign-in however busy. Default 12 h.
    public var absoluteTimeout: TimeInterval

    public init(idleTimeout: TimeInterval = 30 * 60, absoluteTimeout: TimeInterval = 12 * 60 * 60) {
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
    }
}

/// A signed-in browser, as the web layer sees it after `SessionStore.load`.
public struct Session: Sendable, Equatable {
    public let id: SessionID
    public let username: String
    public let createdAt: Date
    public internal(set) var lastSeenAt: Date
    /// When the user last proved a TOTP code in this session (nil: never). Activation and approval
    /// compare it with the role's freshness policy.
    public let mfaVerifiedAt: Date?
    public let remoteAddress: String?

    /// The token every form of this session carries; check it with `CSRFGuard`.
    public var csrfToken: String { id.csrfToken }

    /// Was MFA proven within `maxAge` before `now`?
    public func hasFreshMFA(within maxAge: TimeInterval, now: Date) -> Bool {
        guard let mfaVerifiedAt else { return false }
        return now.timeIntervalSince(mfaVerifiedAt) <= maxAge && mfaVerifiedAt <= now.addingTimeInterval(1)
    }
}

/// What the session cookie led to.
public enum SessionLoad: Sendable, Equatable {
    case active(Session)
    /// It existed but timed out (idle or absolute); it is gone now. "Please sign in again."
    case expired
    /// No cookie, a malformed one, or an unknown or ended session.
    case none

    public var session: Session? {
        if case .active(let session) = self { return session }
        return nil
    }
}

/// A session as read inside a transaction, before the writes that loading it may call for.
public enum SessionRead: Sendable, Equatable {
    case none
    /// Timed out: ``SessionStore/settle(_:)`` ends it.
    case expired(SessionID)
    /// `touch`: its last-seen time is due to be written.
    case active(Session, touch: Bool)
}

/// A one-time message shown on the next page after a redirect (post/redirect/get).
public struct FlashMessage: Sendable, Equatable {
    public enum Kind: String, Sendable { case success, info, warning, error }
    public let kind: Kind
    public let text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }
}
