import Foundation
import GRDB
import PIMCore
import Synchronization
import Testing
@testable import PIMWeb

struct AuditExportTests {
    /// A fresh database with `count` audit events, alternating actors and actions; the event
    /// texts carry CSV-hostile characters.
    static func seededStore(count: Int, start: Date = Date(timeIntervalSince1970: 1_800_000_000)) throws -> (PIMStore, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pim-audit-\(UUID().uuidString)")
        let store = try PIMStore.open(path: directory.appendingPathComponent("pim.sqlite").path, clock: TestClock(start))
        try store.pool.write { db in
            for index in 0..<count {
                try AuditLog.append(AuditEventDraft(
                    time: start + Double(index), actor: index % 2 == 0 ? "alice" : "bob",
                    action: index % 3 == 0 ? "roleActivated" : "assignmentAdded", target: "carol",
                    roleID: 1, roleName: "Global, \"Admin\"", justification: index == 0 ? "=cmd|' /C calc'!A0" : "line1\nline2",
                    details: "#\(index)"), in: db)
            }
        }
        return (store, directory)
    }

    static func queries(_ store: PIMStore) -> PIMQueries { PIMQueries(store: store, directory: InMemoryDirectory()) }

    private func collect(_ export: AuditExport) async throws -> (chunks: [[UInt8]], text: String) {
        let chunks = Mutex<[[UInt8]]>([])
        try await export.stream { chunk in chunks.withLock { $0.append(chunk) } }
        let all = chunks.withLock { $0 }
        return (all, String(decoding: all.joined(), as: UTF8.self))
    }

    @Test func exportStartsWithTheByteOrderMarkAndHeader() async throws {
        let (store, directory) = try Self.seededStore(count: 3)
        defer { try? FileManager.default.removeItem(at: directory) }
        let export = AuditExport(queries: Self.queries(store), filter: AuditFilterForm(query: ["range": "all"], now: Date(), timeZone: .gmt).filter)
        let (chunks, text) = try await collect(export)
        #expect(Array(chunks[0].prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(text.dropFirst().hasPrefix("seq,time,actor,action,role,member,justification,ticket,result,request id,source address,details,hash\r\n"))
        // Newest first; the role name with a comma and quotes is quoted, the formula neutralised.
        #expect(text.contains("3,2027-01-15 08:00:02.000Z,alice,assignmentAdded,\"Global, \"\"Admin\"\"\",carol,\"line1\nline2\""))
        #expect(text.contains(",carol,'=cmd|' /C calc'!A0,,success,"))
    }

    @Test func exportAppliesTheFilters() async throws {
        let (store, directory) = try Self.seededStore(count: 30)
        defer { try? FileManager.default.removeItem(at: directory) }
        let filter = AuditFilterForm(query: ["range": "all", "user": "bob", "action": "roleActivated"], now: Date(), timeZone: .gmt).filter
        let (_, text) = try await collect(AuditExport(queries: Self.queries(store), filter: filter))
        let records = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.dropFirst()
        // Odd indexes are bob's; every third is an activation: 3, 9, 15, 21, 27.
        #expect(records.count == 5)
        #expect(records.allSatisfy { $0.contains(",bob,roleActivated,") })
    }

    @Test func myAuditExportHasOnlyMyEvents() async throws {
        let (store, directory) = try Self.seededStore(count: 10)
        defer { try? FileManager.default.removeItem(at: directory) }
        let filter = AuditFilterForm(query: ["range": "all"], now: Date(), timeZone: .gmt, scopeUser: "alice").filter
        let (_, text) = try await collect(AuditExport(queries: Self.queries(store), filter: filter))
        let records = text.components(separatedBy: "\r\n").filter { !$0.isEmpty && $0.first?.isNumber == true }
        #expect(records.count == 5)
        #expect(records.allSatisfy { $0.contains(",alice,") })
    }

    @Test func largeExportIsWrittenInBoundedBatchesNewestFirstWithoutGapsOrRepeats() async throws {
        let total = 12_000
        let (store, directory) = try Self.seededStore(count: total)
        defer { try? FileManager.default.removeItem(at: directory) }
        var export = AuditExport(queries: Self.queries(store), filter: AuditFilterForm(query: ["range": "all"], now: Date(), timeZone: .gmt).filter)
        export.batchSize = 500
        let (chunks, text) = try await collect(export)
        // Header chunk + one chunk per batch: no chunk holds more than one batch of rows.
        #expect(chunks.count == 1 + total / 500)
        let largest = chunks.dropFirst().map(\.count).max() ?? 0
        #expect(largest < 500 * 200)
        let sequences = text.components(separatedBy: "\r\n").compactMap { line in Int(line.prefix { $0 != "," }) }
        #expect(sequences.count == total)
        #expect(sequences == Array((1...total).reversed()))
    }

    @Test func exportStopsReadingWhenTheClientGoesAway() async throws {
        let (store, directory) = try Self.seededStore(count: 5_000)
        defer { try? FileManager.default.removeItem(at: directory) }
        var export = AuditExport(queries: Self.queries(store), filter: AuditFilterForm(query: ["range": "all"], now: Date(), timeZone: .gmt).filter)
        export.batchSize = 100
        struct Gone: Error {}
        let writes = Mutex(0)
        await #expect(throws: Gone.self) {
            try await export.stream { _ in
                let count = writes.withLock { $0 += 1; return $0 }
                if count == 3 { throw Gone() }
            }
        }
        #expect(writes.withLock { $0 } == 3)
    }
}
