import ArgumentParser
import Dispatch
import Foundation
import Glibc
import Logging
import PIMCore

/// `pim serve`: opens the store, builds the portal and its routes, runs the scheduler and serves
/// HTTP until SIGTERM/SIGINT, then shuts down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the PIM portal over HTTP.")

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen = "127.0.0.1:8080"

    @Option(help: "SQLite database file; its folder is created when missing.")
    var database = "./data/pim.sqlite"

    @Option(name: .customLong("public"), help: "Folder of static files served under /static/.")
    var publicDirectory = "./Public"

    @Option(help: "Master key file of PIMAuth (default: pim.key next to the database).")
    var keyFile: String?

    @Option(help: "Time zone pages show times in (IANA name).")
    var timeZone = "UTC"

    @Option(help: "Public origin behind the proxy, e.g. https://pim.example.org (Origin check).")
    var publicOrigin: String?

    @Option(help: "PAM service name.")
    var pamService = "pim"

    @Flag(help: "Demo mode: loopback only, example roles seeded, every page marked Demo.")
    var demo = false

    struct StartupError: Error, CustomStringConvertible {
        let description: String
    }

    func run() async throws {
        let (host, port) = try Self.parse(listen)
        LoggingSystem.bootstrap { StreamLogHandler.standardOutput(label: $0) }
        let logger = Logger(label: "pim")
        let files: StaticFiles
        do { files = try StaticFiles(directory: publicDirectory) } catch {
            throw StartupError(description: "cannot load public folder \(publicDirectory): \(error)")
        }
        let portal = try PortalBootstrap(
            options: PortalOptions(databasePath: database, keyFile: keyFile, listenHost: host, demo: demo,
                                   timeZone: timeZone, publicOrigin: publicOrigin, pamService: pamService),
            staticFiles: files, logger: logger)
        if demo, try await DemoSeed.seedIfEmpty(portal.app.environment.service, queries: portal.app.environment.queries) {
            logger.notice("demo: example roles and assignments seeded")
        }
        var routes = RouterBuilder()
        files.register(in: &routes)
        portal.app.register(in: &routes)
        let server = HTTPServer(configuration: HTTPConfiguration(), responder: routes.build(logger: logger), logger: logger)
        do { try server.start(host: host, port: port) } catch {
            throw StartupError(description: "cannot listen on \(listen): \(error)")
        }
        let scheduler = Task { await portal.scheduler.run() }
        let signal = await Self.waitForShutdownSignal()
        logger.info("shutting down", metadata: ["signal": "\(signal)"])
        scheduler.cancel()
        await server.shutdown()
    }

    /// "127.0.0.1:8080", "[::1]:8080", "localhost:8080".
    static func parse(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { throw StartupError(description: "listen address must be HOST:PORT, not \(text)") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }

    /// SIGTERM or SIGINT (signal(7)) through dispatch sources; SIGPIPE ignored.
    static func waitForShutdownSignal() async -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        return await withCheckedContinuation { continuation in
            let once = DispatchQueue(label: "pim.signals")
            var sources: [any DispatchSourceSignal] = []
            nonisolated(unsafe) var resumed = false
            for number in [SIGTERM, SIGINT] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: once)
                source.setEventHandler {
                    // Runs on the serial `once` queue only, so `resumed` is never raced.
                    guard !resumed else { return }
                    resumed = true
                    withExtendedLifetime(sources) {}
                    continuation.resume(returning: number)
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}
