import Foundation
public import Logging
public import PIMCore

/// Delivers the outbox: claims due rows with a lease, renders and sends each through the
/// transport, and records the outcome, each step in its own short transaction. Runs as one task
/// that wakes at `wake()` (PIMCore's outbox-changed hook) or at the next due instant, bounded by
/// `WorkerTuning.pollInterval`. SMTP itself runs on the transport's own thread.
///
/// Guarantee: at-least-once per row. A crash between the relay's "250 OK" and `markSent` sends
/// that row again on restart, with the same Message-ID (see README.md).
public actor DeliveryWorker {
    /// What one `deliverDue()` pass did.
    public struct PassReport: Sendable, Equatable {
        public var sent = 0
        public var requeued = 0
        public var failed = 0
        /// Rows given back untried because the relay failed earlier in the batch.
        public var deferred = 0
    }

    private let store: OutboxStore
    private let transport: any MailTransport
    private let composer: MailComposer
    private let configuration: MailConfiguration
    private let clock: any PIMClock
    private let logger: Logger
    private let signal = WakeSignal()
    private var loop: Task<Void, Never>?

    public init(
        store: OutboxStore, transport: any MailTransport, composer: MailComposer,
        configuration: MailConfiguration, clock: any PIMClock, logger: Logger
    ) {
        self.store = store
        self.transport = transport
        self.composer = composer
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    /// The hook for PIMCore ("outbox changed"): wakes the worker at once. Cheap, never blocks.
    public nonisolated var wakeHook: @Sendable () -> Void {
        let signal = signal
        return { signal.signal() }
    }

    public nonisolated func wake() {
        signal.signal()
    }

    /// Starts the delivery loop. With `soleWorker` (the SQLite deployment: one process owns the
    /// database) leases left by a killed predecessor are dropped first so its mails go out now.
    public func start(soleWorker: Bool = true) {
        guard loop == nil else { return }
        if soleWorker {
            do {
                let released = try store.releaseAllLeases()
                if released > 0 { logger.notice("mail worker recovered leased rows", metadata: ["rows": "\(released)"]) }
            } catch {
                logger.error("mail worker could not release leases", metadata: ["error": "\(error)"])
            }
        }
        loop = Task { [weak self] in
            while !Task.isCancelled, let self {
                await self.deliverDue()
                await self.sleepUntilDueOrWoken()
            }
        }
    }

    /// Stops the loop after the message in flight and waits for it to end.
    public func stop() async {
        let task = loop
        loop = nil
        task?.cancel()
        signal.signal()
        await task?.value
    }

    /// Settings → Mail "Retry" for one failed row: queued again and the worker woken.
    public func retry(id: Int64) throws -> Bool {
        let queued = try store.retry(id: id, now: clock.now())
        if queued { signal.signal() }
        return queued
    }

    /// Settings → Mail "Retry all failed".
    public func retryAllFailed() throws -> Int {
        let count = try store.retryAllFailed(now: clock.now())
        if count > 0 { signal.signal() }
        return count
    }

    /// Sends everything due now, batch after batch, until nothing is due or the relay fails.
    @discardableResult
    public func deliverDue() async -> PassReport {
        var report = PassReport()
        while !Task.isCancelled {
            let batch: [OutboxRow]
            do {
                batch = try store.claimDue(now: clock.now(), lease: configuration.worker.lease, limit: configuration.worker.batchSize)
            } catch {
                logger.error("mail worker cannot claim rows", metadata: ["error": "\(error)"])
                return report
            }
            if batch.isEmpty { return report }
            for (index, row) in batch.enumerated() {
                let rest = batch[(index + 1)...].map(\.id)
                if Task.isCancelled {
                    // Stopping: give the untried rows back at once rather than at lease end.
                    release(batch[index...].map(\.id), until: clock.now(), report: &report)
                    return report
                }
                switch await deliver(row) {
                case .sent: report.sent += 1
                case .failed: report.failed += 1
                case .requeued: report.requeued += 1
                case .relayUnavailable(let until):
                    report.requeued += 1
                    // The relay is unwell: leave the rest of the batch for when this row retries.
                    release(rest, until: until, report: &report)
                    return report
                case .storeError:
                    return report
                }
            }
        }
        return report
    }

    private enum Outcome {
        case sent, failed, requeued, relayUnavailable(Date), storeError
    }

    private func release(_ ids: [Int64], until: Date, report: inout PassReport) {
        do {
            try store.release(ids: ids, until: until)
            report.deferred += ids.count
        } catch {
            logger.error("mail worker cannot release rows", metadata: ["error": "\(error)"])
        }
    }

    private func deliver(_ row: OutboxRow) async -> Outcome {
        let metadata: Logger.Metadata = ["outbox": "\(row.id)", "kind": "\(row.kind)", "message_id": "\(row.messageID)"]
        let error: MailError
        do throws(MailError) {
            let message = try composer.compose(row)
            let bytes = try message.serialized()
            try await transport.send(bytes, from: configuration.sender, to: message.to)
            do {
                try store.markSent(id: row.id, now: clock.now())
                logger.info("mail sent", metadata: metadata)
                return .sent
            } catch {
                // Sent but not marked: the lease runs out and the row is sent again with the
                // same Message-ID (the at-least-once case of the README).
                logger.error("mail sent but not marked", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                return .storeError
            }
        } catch let failure {
            error = failure
        }
        let decision = configuration.retry.decide(attempts: row.attempts + 1, createdAt: row.createdAt,
                                                  now: clock.now(), permanent: error.isPermanent)
        do {
            try store.recordFailure(id: row.id, error: String(error.description.prefix(1000)), decision: decision)
        } catch {
            logger.error("mail worker cannot record a failure", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return .storeError
        }
        switch decision {
        case .fail:
            logger.error("mail failed for good", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return .failed
        case .retry(let at):
            logger.warning("mail will be retried", metadata: metadata.merging(["error": "\(error)", "retry_at": "\(at)"]) { $1 })
            return error.concernsRelay ? .relayUnavailable(at) : .requeued
        }
    }

    private func sleepUntilDueOrWoken() async {
        var wait = configuration.worker.pollInterval
        if let due = try? store.nextDue() {
            let untilDue = Duration.milliseconds(Int64(max(due.timeIntervalSince(clock.now()), 0) * 1000))
            wait = min(wait, untilDue)
        }
        await signal.wait(timeout: max(wait, .milliseconds(20)))
    }
}
