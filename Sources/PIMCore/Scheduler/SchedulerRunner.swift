import Foundation
import Logging

/// The one background task: catches up at start, then sleeps until the next due instant or
/// `pollInterval`, whichever comes first, and applies what is due. Safe to run late or twice.
public struct SchedulerRunner: Sendable {
    public let service: PIMService
    public let pollInterval: Duration
    private let logger = Logger(label: "pim.scheduler")

    public init(service: PIMService, pollInterval: Duration = .seconds(5)) {
        self.service = service
        self.pollInterval = pollInterval
    }

    /// Runs until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            var sleep = pollInterval
            do {
                let result = try await service.runDueWork()
                if result.applied > 0 {
                    logger.info("scheduler applied actions", metadata: ["count": "\(result.applied)"])
                    sleep = .milliseconds(10)  // more may have become due while applying
                } else if let wake = result.nextWake {
                    let seconds = max(0, wake.timeIntervalSince(service.store.clock.now()))
                    sleep = min(pollInterval, .milliseconds(Int64(seconds * 1000) + 10))
                }
            } catch {
                logger.error("scheduler run failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: sleep)
        }
    }
}
