import ArgumentParser
import Dispatch
import Foundation
import Logging
import PIMCore
import PIMMail

/// `pim serve`: opens the store, builds the portal and its routes, runs the scheduler and serves
/// HTTP until SIGTERM/SIGINT, then shuts down gracefully and exits 0.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the PIM portal over HTTP.")

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen = "127.0.0.1:8080"

    @Option(help: "SQLite database file; its folder is created when missing (default ./data/pim.sqlite).")
    var database: String?

    @Option(help: "JSON configuration file (see README, Configuration).")
    var config: String?

    @Option(name: .customLong("public"), help: "Folder of static files served under /static/.")
    var publicDirectory: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Option(help: "Master key file of PIMAuth (default: pim.key next to the database).")
    var keyFile: String?

    @Option(help: "Time zone pages show times in (IANA name, e.g. Europe/Berlin).")
    var timeZone = "UTC"

    @Option(help: "Public origin behind the proxy, e.g. https://pim.example.org (Origin check).")
    var publicOrigin: String?

    @Option(help: "PAM service name.")
    var pamService = "pim"

    @OptionGroup(title: "Mail")
    var mail: MailFlags

    @Flag(help: "Demo mode: loopback only, example roles seeded, every page marked Demo.")
    var demo = false

    /// A start-up problem, printed by ArgumentParser as one `Error: …` line with exit code 1.
    struct StartupError: Error, CustomStringConvertible {
        let description: String
    }

    func run() async throws {
        // Before anything loads a library of its own (see StartupPages).
        let startupFiles = StartupPages.mappedFiles()
        let address: ListenAddress
        let settings: ServeSettings
        let database: String
        let mailConfiguration: MailConfiguration?
        do {
            address = try ListenAddress(parsing: listen)
            let loaded = try PIMSettings.load(file: config, flags: ["database": self.database, "log.level": logLevel])
            settings = loaded.serve
            database = loaded.database
            mailConfiguration = try settings.mail.overridden(by: mail.settings)
                .configuration(timeZone: timeZone, fallbackBaseURL: publicOrigin ?? "http://\(listen)")
        } catch {
            throw StartupError(description: "\(error)")
        }
        MallocTuning.limitArenas(eventLoops: settings.eventLoops ?? ProcessInfo.processInfo.activeProcessorCount)
        MallocTuning.startTrimming()
        let levelName = settings.logLevel ?? "info"
        guard let level = Logger.Level(rawValue: levelName) else {
            throw StartupError(description: "invalid log level '\(levelName)'")
        }
        LoggingSystem.bootstrap { label in LogfmtLogHandler(label: label, level: level) }
        let logger = Logger(label: "pim")

        let files = try Self.loadPublic(publicDirectory, logger: logger)
        let portal = try PortalBootstrap(
            options: PortalOptions(databasePath: database, keyFile: keyFile, listenHost: address.host, demo: demo,
                                   timeZone: timeZone, publicOrigin: publicOrigin, pamService: pamService,
                                   mail: mailConfiguration),
            staticFiles: files, logger: logger)
        let environment = portal.app.environment
        if !PIMStore.sqliteConfigured {
            logger.warning("SQLite was in use before PIM configured it: connections keep their mutexes (slower)")
        }
        if let smtp = mailConfiguration?.smtp {
            logger.info("mail: delivering through SMTP", metadata: [
                "host": "\(smtp.host)", "port": "\(smtp.port.map(String.init) ?? "default")", "security": "\(smtp.security.rawValue)"])
        } else {
            logger.notice("mail: no SMTP host configured (--smtp-host or smtp.host); mails stay queued in the outbox")
        }
        if demo, try await DemoSeed.seedIfEmpty(environment.service, queries: environment.queries) {
            logger.notice("demo: example roles and assignments seeded")
        }
        let pool = environment.store.pool
        var routes = RouterBuilder()
        HealthCheck(database: pool).register(in: &routes)
        files?.register(in: &routes)
        portal.app.register(in: &routes)
        let router = routes.build(logger: logger)

        var httpConfiguration = HTTPConfiguration()
        httpConfiguration.trustedProxies = settings.trustedProxies
        if let value = settings.maxConnections { httpConfiguration.maxConnections = value }
        // One event loop per core by default: measured 53k vs 36k req/s on /healthz with two cores.
        httpConfiguration.eventLoopCount = settings.eventLoops ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        if let value = settings.maxBodyBytes { httpConfiguration.maxBodyBytes = value }
        let server = HTTPServer(configuration: httpConfiguration, responder: router, logger: logger)
        let signals = ShutdownSignals()
        do {
            try server.start(host: address.host, port: address.port)
        } catch {
            throw StartupError(description: "cannot listen on \(address): \(error)")
        }
        let scheduler = Task { await portal.scheduler.run() }
        await environment.mail.start()
        let released = StartupPages.release(files: startupFiles)
        logger.info("memory: start-up pages released", metadata: ["bytes": "\(released)"])
        let signal = await signals.wait()
        logger.info("shutting down", metadata: ["signal": "\(signal)"])
        scheduler.cancel()
        await server.shutdown()
        await environment.mail.stop()
        try? pool.close()
    }

    /// The given folder must exist; without `--public`, ./Public is used when present.
    static func loadPublic(_ directory: String?, logger: Logger) throws -> StaticFiles? {
        let path = directory ?? "./Public"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            if directory != nil { throw StartupError(description: "public folder \(path) does not exist") }
            logger.notice("no ./Public folder: static files are not served")
            return nil
        }
        do {
            return try StaticFiles(directory: path)
        } catch {
            throw StartupError(description: "cannot load public folder \(path): \(error)")
        }
    }
}
