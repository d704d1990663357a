import Foundation

/// A real SMTP server for the tests: tests/smtp_sink.py (aiosmtpd) spawned on a free loopback
/// port, writing each received message as JSON into a directory the tests read.
final class SMTPSink: Sendable {
    struct Received: Sendable, Decodable {
        let mail_from: String
        let rcpt_tos: [String]
        let data: String
        let tls: Bool
        let authenticated: Bool
        let helo: String?

        /// The value of the first header `name` (unfolded), nil when absent.
        func header(_ name: String) -> String? {
            let head = data.components(separatedBy: "\r\n\r\n").first ?? ""
            let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: " ")
            for line in unfolded.components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                if line[..<colon].caseInsensitiveCompare(name) == .orderedSame {
                    return String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }

        var messageID: String? { header("Message-ID") }
    }

    let port: Int
    let directory: URL
    private let process: Process

    /// Starts the sink with extra arguments (e.g. ["--starttls", cert, key]); returns once it
    /// listens. `port` reuses a port (to bring a stopped server back).
    init(arguments: [String] = [], port: Int? = nil, directory: URL? = nil) throws {
        let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("pim-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, "--dir", directory.path] + (port.map { ["--port", String($0)] } ?? []) + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw SinkError.didNotStart }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let parsed = Int(text.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw SinkError.didNotStart
        }
        self.port = parsed
        self.directory = directory
        self.process = process
    }

    enum SinkError: Error { case didNotStart }

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("tests/smtp_sink.py")
    }

    /// SIGTERM, then SIGKILL if the server has not gone within 3 s.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    /// Every message received so far, in arrival order.
    func messages() throws -> [Received] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        return try names.map { name in
            try JSONDecoder().decode(Received.self, from: Data(contentsOf: directory.appendingPathComponent(name)))
        }
    }

    /// Waits until at least `count` messages arrived (or `timeout` passed) and returns them.
    func waitForMessages(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let received = try messages()
            if received.count >= count { return received }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try messages()
    }
}
