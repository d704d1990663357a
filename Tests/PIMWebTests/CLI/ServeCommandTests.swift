import Foundation
import Glibc
import Testing
@testable import PIMWeb

/// Runs the built `pim` binary as a process, as an operator or systemd would.
struct ServeCommandTests {
    /// `.build/<config>/pim`, next to the test bundle that is running.
    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("pim").path
    }

    final class Run {
        let process = Process()
        let output = Pipe()
        let errors = Pipe()

        init(_ arguments: [String], directory: String) throws {
            process.executableURL = URL(fileURLWithPath: ServeCommandTests.binary)
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.standardOutput = output
            process.standardError = errors
            try process.run()
        }

        /// Reads stdout until the "listening" line and returns the bound port.
        func waitForPort() throws -> Int {
            var text = ""
            let handle = output.fileHandleForReading
            while true {
                let data = handle.availableData
                if data.isEmpty { throw TestClient.Failure(description: "exited before listening: \(text)") }
                text += String(decoding: data, as: UTF8.self)
                if let match = text.firstMatch(of: /address=[0-9.]+:([0-9]+)/) { return Int(match.1)! }
            }
        }

        func finish() -> (status: Int32, stderr: String) {
            process.waitUntilExit()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (process.terminationStatus, stderr)
        }
    }

    static func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "pim-serve-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func serveAnswersHealthzAndExitsZeroOnSignal(_ signalNumber: Int32) async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (status, stderr, health) = try await TestServer.clients.run {
            let run = try Run(["serve", "--listen", "127.0.0.1:0"], directory: directory)
            let port = try run.waitForPort()
            let client = try TestClient(port: port)
            try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
            let health = try client.readResponse()
            kill(run.process.processIdentifier, signalNumber)
            let (status, stderr) = run.finish()
            return (status, stderr, health)
        }
        #expect(health.status == 200 && health.text == "ok")
        #expect(status == 0, "stderr: \(stderr)")
        // The default database path was created under the working directory.
        #expect(FileManager.default.fileExists(atPath: directory + "/data/pim.sqlite"))
    }

    static let badStarts: [[String]] = [
        ["serve", "--listen", "not-an-address"],
        ["serve", "--listen", "127.0.0.1:70000"],
        ["serve", "--listen", "192.0.2.1:8080"],
        ["serve", "--listen", "127.0.0.1:0", "--database", "/proc/no-such/pim.sqlite"],
        ["serve", "--listen", "127.0.0.1:0", "--database", "garbage.sqlite"],
        ["serve", "--listen", "127.0.0.1:0", "--public", "/no/such/folder"],
        ["serve", "--listen", "127.0.0.1:0", "--config", "/no/such/file"],
        ["serve", "--listen", "127.0.0.1:0", "--config", "not-json.json"],
        ["serve", "--listen", "127.0.0.1:0", "--config", "bad-value.json"],
        ["serve", "--listen", "127.0.0.1:0", "--config", "typo.json"],
        ["serve", "--listen", "127.0.0.1:0", "--log-level", "chatty"],
        ["serve", "--bogus"],
        ["serve", "--listen"],
        ["no-such-command"],
    ]

    @Test(arguments: badStarts)
    func unusableSettingGivesOneLineErrorAndFailureExit(_ arguments: [String]) async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: directory + "/garbage.sqlite"))
        try "{\"http\": {\"maxConnections\": 5,\n}".write(toFile: directory + "/not-json.json", atomically: true, encoding: .utf8)
        try #"{"http": {"maxConnections": -5}}"#.write(toFile: directory + "/bad-value.json", atomically: true, encoding: .utf8)
        try #"{"http": {"maxConections": 5}}"#.write(toFile: directory + "/typo.json", atomically: true, encoding: .utf8)
        let (status, stderr) = try await TestServer.clients.run {
            try Run(arguments, directory: directory).finish()
        }
        #expect(status != 0)
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(stderr)")
        #expect(lines.first?.hasPrefix("Error: ") == true)
        #expect(!stderr.contains("Fatal error") && !stderr.contains("Backtrac"))
    }

    @Test func listenAddressParsesHostsAndPorts() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:8080") == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(try ListenAddress(parsing: "[::1]:0") == ListenAddress(host: "::1", port: 0))
        #expect(try ListenAddress(parsing: "localhost:65535") == ListenAddress(host: "localhost", port: 65535))
        for bad in ["", "8080", ":8080", "host:", "host:65536", "host:-1", "::1:80", "[::1]80", "a b:80", "h:+80", "h:8080x"] {
            #expect(throws: ListenAddress.Invalid.self, "\(bad)") { try ListenAddress(parsing: bad) }
        }
    }
}
