import Foundation
import GRDB
import Testing
@testable import PIMCore

/// Reads on the read threads run on connections of their own (`PIMStore.read`): they must see
/// every committed write, never a half-done one, and never keep a transaction open.
struct ReadThreadTests {
    @Test func readThreadsSeeEachCommittedWriteAndNoUncommittedOne() async throws {
        let store = try GroupCommitTests.store()
        // More reads than threads, so every read thread opens its connection.
        for round in 0..<3 {
            try await store.write { db in try db.execute(sql: "INSERT INTO t (v) VALUES (?)", arguments: ["r\(round)"]) }
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<(ReadThreads.count * 3) {
                    group.addTask { try await store.readOffPool { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") ?? -1 } }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts == Array(repeating: round + 1, count: ReadThreads.count * 3))
        }
        // A write still running is not seen; once committed, it is.
        let started = DispatchSemaphore(value: 0), finish = DispatchSemaphore(value: 0)
        let pending = Task {
            try await store.write { db in
                try db.execute(sql: "INSERT INTO t (v) VALUES ('late')")
                started.signal()
                finish.wait()
            }
        }
        await Task.detached { started.wait() }.value
        #expect(try await store.readOffPool { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 3)
        finish.signal()
        try await pending.value
        #expect(try await store.readOffPool { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 4)
    }

    @Test func aFailedReadLeavesNoTransactionBehindAndReadsCannotWrite() async throws {
        let store = try GroupCommitTests.store()
        struct Stop: Error {}
        for _ in 0..<(ReadThreads.count * 2) {
            await #expect(throws: Stop.self) {
                try await store.readOffPool { db -> Int in
                    _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM t")
                    throw Stop()
                }
            }
            await #expect(throws: DatabaseError.self) {
                try await store.readOffPool { db in try db.execute(sql: "INSERT INTO t (v) VALUES ('no')") }
            }
        }
        // The writer is not blocked by a reader left in a transaction, and readers see its write.
        try await store.write { db in try db.execute(sql: "INSERT INTO t (v) VALUES ('yes')") }
        #expect(try await store.readOffPool { try String.fetchAll($0, sql: "SELECT v FROM t") } == ["yes"])
        // Each read is one transaction: two statements of one read see the same snapshot.
        let insideRead = try await store.readOffPool { $0.isInsideTransaction }
        #expect(insideRead)
    }

    /// A read is one transaction: a write committed between two of its statements is not seen
    /// by the second, and is seen by the next read.
    @Test func aReadSeesOneSnapshotThroughout() async throws {
        let store = try GroupCommitTests.store()
        try await store.write { db in try db.execute(sql: "INSERT INTO t (v) VALUES ('first')") }
        let (before, after) = try await store.readOffPool { db in
            let before = try Int.fetchOne(db, sql: "SELECT count(*) FROM t") ?? -1
            try store.committer.writeAndWait { db in try db.execute(sql: "INSERT INTO t (v) VALUES ('second')") }
            return (before, try Int.fetchOne(db, sql: "SELECT count(*) FROM t") ?? -1)
        }
        #expect(before == 1 && after == 1)
        #expect(try await store.readOffPool { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 2)
    }
}
