import Foundation
public import PIMCore

/// Everything PIMAuth needs from configuration, with the defaults of SPEC.md.
public struct AuthConfiguration: Sendable {
    public var pam = PAMConfiguration()
    /// The 0600 key file for TOTP seed encryption and form signing; outside the database.
    public var keyFilePath: String
    public var sessions = SessionConfiguration()
    public var totp = TOTPConfiguration()
    public var throttle = ThrottlePolicy()
    public var directory = NSSDirectoryConfiguration()
    /// The public origin (e.g. `https://pim.example.org`); nil compares `Origin` with `Host`.
    public var publicOrigin: String?
    /// Every failed sign-in takes at least this long. Default 1 s.
    public var minimumFailureDuration: Duration = .seconds(1)

    public init(keyFilePath: String) {
        self.keyFilePath = keyFilePath
    }
}

/// PIMAuth wired together once at start-up; the web layer keeps one and calls its parts.
public struct AuthSystem: Sendable {
    public let configuration: AuthConfiguration
    public let directory: NSSDirectory
    public let sessions: SessionStore
    public let signIn: SignInService
    public let totp: TOTPService
    public let stepUp: MFAStepUp
    public let loginCSRF: LoginCSRF
    public let originCheck: OriginCheck

    /// Reads (or creates) the key file and builds every service over `store`. `store` must have
    /// been opened with `AuthSchema.migrations` among its extra migrations.
    public init(store: PIMStore, configuration: AuthConfiguration) throws {
        let keys = try AuthKeys.loadOrCreate(path: configuration.keyFilePath)
        self.configuration = configuration
        directory = NSSDirectory(configuration: configuration.directory)
        sessions = SessionStore(writer: store.committer, clock: store.clock, configuration: configuration.sessions)
        signIn = SignInService(
            authenticator: PAMAuthenticator(configuration: configuration.pam), directory: directory,
            writer: store.committer, sessions: sessions, clock: store.clock, throttlePolicy: configuration.throttle,
            minimumFailureDuration: configuration.minimumFailureDuration)
        totp = TOTPService(writer: store.committer, clock: store.clock, keys: keys, sessions: sessions, configuration: configuration.totp)
        stepUp = MFAStepUp(totp: totp, sessions: sessions)
        loginCSRF = LoginCSRF(keys: keys)
        originCheck = OriginCheck(expectedOrigin: configuration.publicOrigin)
    }
}
