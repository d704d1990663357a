import Foundation
import Logging
import PIMAuth
import PIMCore
import PIMMail

/// What `pim serve` tells the portal about its deployment.
struct PortalOptions {
    var databasePath: String
    /// The 32-byte master key of PIMAuth (TOTP seeds, sign-in tokens); default: `pim.key`
    /// next to the database, created with mode 0600 on first start.
    var keyFile: String?
    var listenHost: String
    var demo: Bool = false
    var timeZone: String = "UTC"
    var publicOrigin: String?
    var pamService: String = "pim"
    /// SMTP delivery; nil: mails wait in the outbox.
    var mail: MailConfiguration?
}

/// Builds the running portal: the store with PIMAuth's migrations, the auth key, the compiled
/// templates (any template error stops start-up here), NSS and PAM, and the scheduler.
struct PortalBootstrap {
    let app: PortalApp
    let scheduler: SchedulerRunner

    struct StartupError: Error, CustomStringConvertible {
        let description: String
    }

    init(options: PortalOptions, staticFiles: StaticFiles?, logger: Logger) throws {
        if options.demo {
            do { try DemoMode.checkBindAddress(options.listenHost) } catch {
                throw StartupError(description: "\(error)")
            }
        }
        guard TimeZone(identifier: options.timeZone) != nil else {
            throw StartupError(description: "unknown time zone '\(options.timeZone)' (use an IANA name such as Europe/Berlin)")
        }
        let clock = SystemClock()
        let store: PIMStore
        do {
            store = try PIMStore.open(path: options.databasePath, extraMigrations: AppEnvironment.extraMigrations, clock: clock)
        } catch {
            throw StartupError(description: "cannot open database \(options.databasePath): \(error)")
        }
        let keyPath = options.keyFile
            ?? URL(fileURLWithPath: options.databasePath).deletingLastPathComponent().appendingPathComponent("pim.key").path
        let keys: AuthKeys
        do { keys = try AuthKeys.loadOrCreate(path: keyPath) } catch { throw StartupError(description: "\(error)") }
        let templates = try AppEnvironment.loadTemplates(strict: false, logger: logger)
        let mail: MailRuntime
        if let configuration = options.mail {
            do {
                mail = try MailRuntime(configuration: configuration, store: store, clock: clock, logger: logger)
            } catch { throw StartupError(description: "mail: \(error)") }
        } else {
            mail = MailRuntime(outbox: OutboxStore(writer: store.pool))
        }

        var configuration = PortalConfiguration()
        configuration.demoMode = options.demo
        configuration.timeZoneIdentifier = options.timeZone
        configuration.publicOrigin = options.publicOrigin
        if let css = staticFiles?.url(for: "app.css") { configuration.stylesheetPath = css }
        if let js = staticFiles?.url(for: "app.js") { configuration.scriptPath = js }

        let environment = AppEnvironment(
            configuration: configuration, store: store, clock: clock, templates: templates,
            directory: NSSDirectory(), keys: keys,
            authenticator: PAMAuthenticator(configuration: PAMConfiguration(serviceName: options.pamService)),
            logger: logger, mail: mail)
        app = PortalApp(environment: environment)
        scheduler = SchedulerRunner(service: environment.service)
    }
}
