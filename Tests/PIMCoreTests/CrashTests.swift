import Foundation
import GRDB
import Testing
@testable import PIMCore
#if canImport(Glibc)
import Glibc
#endif

/// A child process (`pim dev churn`) activates and revokes in a loop and is killed with
/// SIGKILL at random moments; after every restart nothing it acknowledged is lost and the
/// audit chain verifies.
struct CrashTests {
    /// The `pim` executable built next to this test binary (`swift build --build-tests` builds it).
    static var pimExecutable: URL? {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("pim")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    @Test func killedWritersLoseNothingAcknowledged() async throws {
        let pim = try #require(Self.pimExecutable, "build the pim product first (swift build --build-tests)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pim-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("pim.sqlite").path
        var acknowledged: [(op: String, id: Int64)] = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<6 {
            let log = folder.appendingPathComponent("churn-\(round).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let output = try FileHandle(forWritingTo: log)
            let child = Process()
            child.executableURL = pim
            child.arguments = ["dev", "churn", "--database", database]
            child.standardOutput = output
            child.standardError = FileHandle.nullDevice
            try child.run()
            // Let it start (the first round also bootstraps and creates the role) and churn a while.
            try await Task.sleep(for: .milliseconds((round == 0 ? 2500 : 600) + Int.random(in: 0..<900, using: &generator)))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            try output.close()
            #expect(child.terminationReason == .uncaughtSignal)
            let text = try String(contentsOf: log, encoding: .utf8)
            // Only complete lines count: a line cut by the kill was never acknowledged.
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) where text.contains(line + "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 3, parts[0] == "ACK", let id = Int64(parts[2]) { acknowledged.append((String(parts[1]), id)) }
            }
            try check(database: database, acknowledged: acknowledged)
        }
        #expect(acknowledged.count > 10, "the child made progress (\(acknowledged.count) acknowledgements)")
    }

    func check(database: String, acknowledged: [(op: String, id: Int64)]) throws {
        let store = try PIMStore.open(path: database)
        try store.pool.read { db in
            #expect(try AuditLog.verify(db) == .intact(events: try Int64.fetchOne(db, sql: "SELECT count(*) FROM audit_event") ?? 0))
            for (op, id) in acknowledged {
                let row = try Row.fetchOne(db, sql: "SELECT is_activation, ended_reason FROM assignment WHERE id = ?", arguments: [id])
                #expect(row != nil, "acknowledged \(op) \(id) is lost")
                if op == "revoke" { #expect(row?["ended_reason"] as String? == "revoked") }
                let events = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM audit_event WHERE assignment_id = ? AND action = ?
                    """, arguments: [id, op == "revoke" ? "activationRevoked" : "roleActivated"]) ?? 0
                #expect(events == 1)
            }
            let integrity = try String.fetchOne(db, sql: "PRAGMA integrity_check")
            #expect(integrity == "ok")
        }
    }
}
