import Foundation
import GRDB
import PIMCore
@testable import PIMMail
import Testing

/// The worker as a separate process (`pim dev-mail-worker`), killed with SIGKILL in the middle
/// of a batch and started again: every mail arrives, and a repeat carries the same Message-ID.
@Suite(.serialized)
struct WorkerCrashTests {
    /// The `pim` executable built next to the test bundle (or PIM_BINARY).
    static func pimBinary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["PIM_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("pim")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/pim")
    }

    static func startWorker(database: String, port: Int) throws -> Process {
        let process = Process()
        process.executableURL = try pimBinary()
        process.arguments = ["dev-mail-worker", "--database", database, "--smtp-port", String(port), "--batch-size", "10",
                             "--sender", "pim@example.org", "--base-url", "https://pim.example.org"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func killedMidBatchThenRestartedEveryMailArrivesRepeatsKeepTheirMessageID() async throws {
        let fixture = try MailFixture(clock: TestClock(Date()))
        let sink = try SMTPSink(arguments: ["--delay", "0.2"])
        try fixture.enqueue(30)
        let expected = Set(try fixture.rows().map(\.messageID))
        let database = fixture.store.path

        let first = try Self.startWorker(database: database, port: sink.port)
        _ = try await sink.waitForMessages(3, timeout: .seconds(20))
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)
        let afterKill = try fixture.rows()
        #expect(afterKill.contains { $0.status == .queued }, "the kill came before the end")
        #expect(afterKill.contains { $0.status == .queued && $0.leaseUntil != nil }, "the kill came mid-batch")

        let second = try Self.startWorker(database: database, port: sink.port)
        defer {
            second.terminate()
            second.waitUntilExit()
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, try fixture.rows().contains(where: { $0.status != .sent }) {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try fixture.rows().allSatisfy { $0.status == .sent })
        let received = try sink.messages()
        let ids = received.compactMap(\.messageID)
        #expect(ids.count == received.count)
        #expect(Set(ids) == expected, "every mail arrived, nothing foreign")
        // Repeats: the mail acknowledged but not yet marked, and the one the server kept although
        // the client died before its reply.
        #expect(received.count - expected.count <= 2)
    }
}
