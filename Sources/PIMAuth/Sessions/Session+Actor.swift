public import PIMCore

extension Session {
    /// The caller of a PIMCore use case on behalf of this session: its user, the request's
    /// address, and the session's last MFA proof (PIMCore applies the role's freshness policy).
    public func actor(sourceAddress: String?) -> ActorContext {
        ActorContext(username: username, sourceAddress: sourceAddress, mfaProvenAt: mfaVerifiedAt)
    }
}
