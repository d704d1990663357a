import Logging
import Synchronization

/// What every loop and connection of one server shares. Immutable but for atomics, so Sendable.
final class ServerContext: Sendable {
    let configuration: HTTPConfiguration
    let responder: any HTTPResponder
    let logger: Logger
    let openConnections = Atomic<Int>(0)
    let shuttingDown = Atomic<Bool>(false)
    private let requestCounter = Atomic<UInt64>(0)
    private let requestIDPrefix: String

    init(configuration: HTTPConfiguration, responder: any HTTPResponder, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.requestIDPrefix = String(UInt32.random(in: 0x1000_0000...UInt32.max), radix: 16)
    }

    /// A request id unique to this process run: a random prefix and a counter.
    func nextRequestID() -> String {
        let number = requestCounter.wrappingAdd(1, ordering: .relaxed).newValue
        return requestIDPrefix + "-" + String(number, radix: 16)
    }
}
