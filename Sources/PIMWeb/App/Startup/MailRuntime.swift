import Foundation
import Logging
import PIMCore
import PIMMail

/// The mail side of the running portal: the delivery worker (none when no SMTP relay is
/// configured: rows then wait in the outbox), what Settings → Mail shows, and its retries.
final class MailRuntime: Sendable {
    /// nil: no relay configured.
    let configuration: MailConfiguration?
    let outbox: OutboxStore
    private let worker: DeliveryWorker?
    private let transport: CurlSMTPTransport?

    /// Without a configuration, only the outbox (tests, or a portal without a relay).
    init(outbox: OutboxStore) {
        self.configuration = nil
        self.outbox = outbox
        self.worker = nil
        self.transport = nil
    }

    /// Builds the worker; `MailComposer` test-renders every template and checks the base URL
    /// here, so a broken one stops start-up rather than a mail.
    init(configuration: MailConfiguration, store: PIMStore, clock: any PIMClock, logger: Logger) throws {
        let transport = CurlSMTPTransport(configuration: configuration.smtp)
        self.configuration = configuration
        self.outbox = OutboxStore(writer: store.pool)
        self.transport = transport
        self.worker = DeliveryWorker(
            store: outbox, transport: transport, composer: try MailComposer(configuration: configuration),
            configuration: configuration, clock: clock, logger: logger)
    }

    /// PIMCore's "outbox changed" hook: wakes the worker at once (nil without one).
    var wakeHook: (@Sendable () -> Void)? { worker?.wakeHook }

    func start() async { await worker?.start() }

    /// Lets the message in flight finish, then closes the relay connection and its thread.
    func stop() async {
        await worker?.stop()
        transport?.shutdown()
    }

    /// A failed row queued again now (the worker, when there is one, is woken).
    func retry(id: Int64, now: Date) async throws -> Bool {
        if let worker { return try await worker.retry(id: id) }
        return try outbox.retry(id: id, now: now)
    }

    func retryAllFailed(now: Date) async throws -> Int {
        if let worker { return try await worker.retryAllFailed() }
        return try outbox.retryAllFailed(now: now)
    }
}
