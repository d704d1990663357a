import Foundation
import HTTPTypes
import Logging
import Synchronization
@testable import PIMWeb

/// A responder made of one closure, for server tests that do not need the router.
struct ClosureResponder: HTTPResponder {
    let body: @Sendable (WebRequest) async -> WebResponse

    func respond(to request: WebRequest) async -> WebResponse {
        await body(request)
    }
}

/// Collects log records in memory so tests can check what was (not) logged.
final class LogRecorder: Sendable {
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let records = Mutex<[Record]>([])

    var all: [Record] { records.withLock { $0 } }

    func append(_ record: Record) { records.withLock { $0.append(record) } }

    func logger() -> Logger {
        var logger = Logger(label: "test") { _ in RecordingHandler(recorder: self) }
        logger.logLevel = .info
        return logger
    }

    struct RecordingHandler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var flat: [String: String] = [:]
            for (key, value) in event.metadata ?? [:] { flat[key] = "\(value)" }
            recorder.append(Record(level: event.level, message: "\(event.message)", metadata: flat))
        }
    }
}


/// Set by a handler when it starts, so a test knows a request is in flight.
final class StartedFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    func set() { flag.store(true, ordering: .relaxed) }

    /// Polls until set, for at most five seconds.
    func wait() async -> Bool {
        for _ in 0..<500 {
            if flag.load(ordering: .relaxed) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

enum TestServer {
    /// Sets `started`, then blocks a pool thread for `microseconds`.
    static func pausing(_ started: StartedFlag, microseconds: UInt32) -> ClosureResponder {
        ClosureResponder { _ in
            started.set()
            _ = await handlers.run { usleep(microseconds) }
            return .text("paused")
        }
    }

    /// Threads for blocking test-client work, so the cooperative pool stays free.
    static let clients = BlockingPool(threadCount: 32, name: "test-client")
    static let handlers = BlockingPool(threadCount: 8, name: "test-handler")

    /// Starts a server on an ephemeral loopback port.
    static func start(configuration: HTTPConfiguration = HTTPConfiguration(), logs: LogRecorder = LogRecorder(),
                      responder: any HTTPResponder) throws -> HTTPServer {
        let server = HTTPServer(configuration: configuration, responder: responder, logger: logs.logger())
        try server.start(host: "127.0.0.1", port: 0)
        return server
    }

    static let hugeBody = [UInt8](repeating: 120, count: 16 << 20)
    static let bigBody: [UInt8] = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 % 251) }

    /// A responder with a few fixed behaviours used across tests.
    static let standard = ClosureResponder { request in
        switch request.path {
        case "/echo":
            return WebResponse(headerFields: [.contentType: "application/octet-stream"], body: .bytes(request.body))
        case "/block":
            // Blocks a pool thread for 3 s, as a PAM failure delay does.
            _ = await handlers.run { sleep(3) }
            return .text("unblocked")
        case "/pause":
            _ = await handlers.run { usleep(400_000) }
            return .text("paused")
        case "/flood":
            // 64 MiB, far more than socket buffers hold, for clients that stop reading.
            return WebResponse(body: .stream { writer in
                let chunk = [UInt8](repeating: 120, count: 64 * 1024)
                for _ in 0..<1024 { try await writer.write(chunk) }
            })
        case "/big":
            // 1 MiB in one body, more than a socket takes at once; the pattern shows any byte lost,
            // repeated or reordered.
            return WebResponse(headerFields: [.contentType: "application/octet-stream"], body: .bytes(bigBody))
        case "/huge":
            // 16 MiB in one body: more than the kernel buffers for a client that stops reading.
            return WebResponse(headerFields: [.contentType: "application/octet-stream"], body: .bytes(hugeBody))
        case "/stream":
            return WebResponse(body: .stream { writer in
                for row in 0..<20_000 { try await writer.write("row \(row)\n") }
            })
        default:
            return .text("path \(request.path) from \(request.clientAddress)")
        }
    }
}

