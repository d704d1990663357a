import Foundation
import GRDB
import Logging
import PIMCore
@testable import PIMMail

/// A real SQLite store with PIMCore's schema in a temporary directory, a test clock, and helpers
/// to queue rows the way PIMCore does.
struct MailFixture {
    let store: PIMStore
    let outbox: OutboxStore
    let clock: TestClock
    let directory: URL

    init(clock: TestClock = TestClock()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pim-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.clock = clock
        store = try PIMStore.open(path: directory.appendingPathComponent("pim.sqlite").path, clock: clock)
        outbox = OutboxStore(writer: store.pool)
    }

    static let payload: [String: String] = [
        "roleName": "Database Administrator", "roleID": "3", "requestID": "17", "requester": "ada",
        "requesterName": "Ada Lovelace", "assignee": "ada", "assigneeName": "Ada Lovelace", "windowStart": "2027-01-15T08:00:00Z", "windowEnd": "2027-01-15T16:00:00Z",
        "justification": "Patch <b>CVE</b> & restart", "ticketSystem": "Jira", "ticketNumber": "OPS-42",
        "link": "/approvals/17",
    ]

    @discardableResult
    func enqueue(_ count: Int = 1, kind: OutboxKind = .roleActivationAlert, recipient: (Int) -> String = { "user\($0)@example.org" },
                 name: String? = nil, payload: [String: String] = MailFixture.payload) throws -> [Int64] {
        try store.pool.write { db in
            try Outbox.enqueue((0..<count).map { OutboxMessage(kind: kind, recipient: recipient($0), recipientName: name, critical: false, payload: payload) },
                               at: clock.now(), in: db)
            return try Int64.fetchAll(db, sql: "SELECT id FROM outbox ORDER BY id DESC LIMIT ?", arguments: [count]).reversed()
        }
    }

    func rows() throws -> [OutboxRow] {
        try store.pool.read { try OutboxRow.fetchAll($0, sql: "SELECT * FROM outbox ORDER BY id") }
    }

    static func configuration(port: Int, pollInterval: Duration = .seconds(60), batchSize: Int = 20) throws -> MailConfiguration {
        MailConfiguration(
            smtp: SMTPConfiguration(host: "127.0.0.1", port: port, security: .none, heloName: "pim.test",
                                    connectTimeout: .seconds(2), totalTimeout: .seconds(10)),
            sender: try EmailAddress("pim@example.org"), senderName: "PIM Überwachung",
            publicBaseURL: "https://pim.example.org/", worker: WorkerTuning(batchSize: batchSize, lease: .seconds(600), pollInterval: pollInterval))
    }

    func worker(port: Int, pollInterval: Duration = .seconds(60), batchSize: Int = 20, clock: (any PIMClock)? = nil) throws -> (DeliveryWorker, CurlSMTPTransport) {
        let configuration = try Self.configuration(port: port, pollInterval: pollInterval, batchSize: batchSize)
        let transport = CurlSMTPTransport(configuration: configuration.smtp)
        let worker = DeliveryWorker(store: outbox, transport: transport, composer: try MailComposer(configuration: configuration),
                                    configuration: configuration, clock: clock ?? self.clock, logger: Logger(label: "test"))
        return (worker, transport)
    }
}
