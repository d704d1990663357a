import ArgumentParser
import Foundation
import Logging
import PIMCore
import PIMMail

/// `pim dev-mail-worker`: runs only the mail delivery worker against a database until killed.
/// Hidden; used by PIMMailTests to kill a worker with SIGKILL mid-batch and restart it, and
/// handy for watching delivery against a local relay.
struct DevMailWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-mail-worker",
        abstract: "Run only the mail delivery worker (development and tests).",
        shouldDisplay: false
    )

    @Option(help: "SQLite database file.") var database: String
    @Option(help: "SMTP relay host.") var smtpHost = "127.0.0.1"
    @Option(help: "SMTP relay port.") var smtpPort: Int?
    @Option(help: "none, starttls, starttls-opportunistic or tls.") var security = "none"
    @Option(help: "EHLO name.") var helo = "localhost"
    @Option(help: "SMTP AUTH user name.") var username: String?
    @Option(help: "File holding the SMTP AUTH password.") var passwordFile: String?
    @Option(help: "PEM file of trusted CAs.") var caFile: String?
    @Option(help: "Sender address.") var sender = "pim@localhost"
    @Option(help: "Sender display name.") var senderName = "PIM"
    @Option(help: "Public base URL for links.") var baseURL = "http://localhost:8080"
    @Option(help: "Rows claimed per transaction.") var batchSize = 20

    func run() async throws {
        guard let security = SMTPConfiguration.Security(rawValue: security) else {
            throw ValidationError("unknown security \(security)")
        }
        let configuration = MailConfiguration(
            smtp: SMTPConfiguration(host: smtpHost, port: smtpPort, security: security, username: username,
                                    passwordFile: passwordFile, heloName: helo, caFile: caFile),
            sender: try EmailAddress(sender), senderName: senderName, publicBaseURL: baseURL,
            worker: WorkerTuning(batchSize: batchSize))
        let clock = SystemClock()
        let store = try PIMStore.open(path: database, clock: clock)
        let transport = CurlSMTPTransport(configuration: configuration.smtp)
        let worker = DeliveryWorker(store: OutboxStore(writer: store.pool), transport: transport,
                                    composer: try MailComposer(configuration: configuration),
                                    configuration: configuration, clock: clock, logger: Logger(label: "pim.mail"))
        await worker.start()
        FileHandle.standardOutput.write(Data("MAIL WORKER READY\n".utf8))
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}
