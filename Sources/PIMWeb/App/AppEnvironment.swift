import Foundation
import Logging
import PIMAuth
import PIMCore
import PIMMail
import PIMTemplates
import Synchronization

/// Everything the pages share for the life of the process: the store, the clock, the compiled
/// templates, the auth services and the configuration. Built once at start-up, immutable after.
final class AppEnvironment: Sendable {
    let configuration: PortalConfiguration
    let store: PIMStore
    let clock: any PIMClock
    let templates: TemplateLibrary
    let directory: any Directory
    let sessions: SessionStore
    let loginCSRF: LoginCSRF
    /// One-time messages for the next page (post/redirect/get), in a cookie signed per session.
    let flash: FlashCookie
    let signIn: SignInService
    let totp: TOTPService
    let stepUp: MFAStepUp
    /// PIMCore's use cases (each one transaction with audit and outbox) and page queries.
    let service: PIMService
    let queries: PIMQueries
    let logger: Logger
    /// The one route table (Routes.swift), frozen.
    let routes: RouteTable
    /// The Settings page's values once saved (nil: the start-up configuration rules). The time
    /// zone follows a save at once; sign-in and MFA policy are read here at start-up.
    let site: Mutex<SiteSettings?>
    /// Mail delivery (MailRuntime.swift): the worker woken by `service`, Settings → Mail's data.
    let mail: MailRuntime

    init(
        configuration: PortalConfiguration,
        store: PIMStore,
        clock: any PIMClock,
        templates: TemplateLibrary,
        directory: any Directory,
        keys: AuthKeys,
        authenticator: PAMAuthenticator,
        sessionConfiguration: SessionConfiguration = SessionConfiguration(),
        throttlePolicy: ThrottlePolicy = ThrottlePolicy(),
        minimumSignInFailure: Duration = .seconds(1),
        logger: Logger = Logger(label: "pim.portal"),
        routes: RouteTable = Routes.table,
        outboxChanged: (@Sendable () -> Void)? = nil,
        mail: MailRuntime? = nil
    ) {
        let mail = mail ?? MailRuntime(outbox: OutboxStore(writer: store.pool))
        self.mail = mail
        let outboxChanged = outboxChanged ?? mail.wakeHook
        self.service = PIMService(store: store, directory: directory, outboxChanged: outboxChanged)
        self.queries = PIMQueries(store: store, directory: directory)
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.templates = templates
        self.directory = directory
        self.logger = logger
        self.routes = routes
        let saved = (try? store.pool.read { try SiteSettings.load(in: $0) }) ?? nil
        self.site = Mutex(saved)
        let sessions = SessionStore(writer: store.committer, clock: clock,
                                    configuration: saved?.sessionConfiguration ?? sessionConfiguration)
        self.sessions = sessions
        self.loginCSRF = LoginCSRF(keys: keys)
        self.flash = FlashCookie(keys: keys)
        self.signIn = SignInService(
            authenticator: authenticator, directory: directory, writer: store.committer, sessions: sessions, clock: clock,
            throttlePolicy: throttlePolicy, minimumFailureDuration: minimumSignInFailure,
            outboxChanged: outboxChanged)
        let totp = TOTPService(writer: store.committer, clock: clock, keys: keys, sessions: sessions,
                               configuration: saved?.totpConfiguration(issuer: configuration.totpIssuer)
                                   ?? TOTPConfiguration(issuer: configuration.totpIssuer),
                               outboxChanged: outboxChanged)
        self.totp = totp
        self.stepUp = MFAStepUp(totp: totp, sessions: sessions)
    }

    /// The zone pages show times in: the Settings page's once saved, else the configured one.
    var timeZone: TimeZone { TimeZone(identifier: timeZoneName) ?? configuration.timeZone }

    /// The zone's name as pages show it (as configured or chosen, e.g. "UTC" rather than "GMT").
    var timeZoneName: String { site.withLock { $0?.timeZone } ?? configuration.timeZoneIdentifier }

    /// The migrations beyond PIMCore's that the portal's database needs (PIMAuth's tables, the
    /// Settings page's row).
    static var extraMigrations: [SchemaMigration] { AuthSchema.migrations + [SiteSettings.migration] }

    /// The templates shipped inside the executable (`App/Templates`), compiled once. Any template
    /// error (syntax, missing partial, value in a refused place) is thrown here and stops start-up.
    static func loadTemplates(strict: Bool, logger: Logger = Logger(label: "pim.templates")) throws -> TemplateLibrary {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw TemplatesMissing()
        }
        return try TemplateLibrary(
            directory: directory,
            options: TemplateOptions(mode: strict ? .strict : .production, reloadOnChange: false,
                                     logger: { warning in logger.warning("\(warning)") }))
    }

    struct TemplatesMissing: Error, CustomStringConvertible {
        var description: String { "the portal templates are missing from the executable's resources" }
    }
}
