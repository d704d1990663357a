import Foundation
import GRDB
import Testing
@testable import PIMCore

/// `Database.write(cached:_:)` binds values straight to SQLite: what it stores must be exactly
/// what GRDB's arguments stored, for any text a user can type.
struct StatementBindingsTests {
    static let insert = "INSERT INTO t (i, s, d, b) VALUES (?, ?, ?, ?)"

    static func database() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, s TEXT, d DATETIME, b BOOLEAN, u TEXT UNIQUE)")
        }
        return queue
    }

    static let hostileTexts = [
        "", " ", "plain", "Robert'); DROP TABLE t;--", "?", "?1 :a @b $c", "\"quoted\" 'single'", "<script>&amp;",
        "naïve café 日本語 🔐", "e\u{301}", "line\nbreak\r\ntab\t", String(repeating: "x", count: 100_000),
        "\u{7F}\u{1B}[31m", "nul\u{0}inside", "\u{FEFF}bom", "\u{202E}rtl",
    ]

    /// Each value reads back as GRDB's own arguments store it, and both rows compare equal in SQL.
    @Test(arguments: hostileTexts)
    func textIsStoredAsGRDBStoresIt(text: String) throws {
        let queue = try Self.database()
        let date = Date(timeIntervalSince1970: 1_800_000_123.456)
        try queue.write { db in
            try db.write(cached: Self.insert) { $0.bind(Int64(42)); $0.bind(text); $0.bind(date); $0.bind(true) }
            try db.execute(sql: Self.insert, arguments: [42, text, date, true])
        }
        let rows = try queue.read { try Row.fetchAll($0, sql: "SELECT i, s, d, b, typeof(s), typeof(d) FROM t ORDER BY id") }
        #expect(rows.count == 2)
        #expect(rows[0] == rows[1])
        #expect(rows[0][1] as String == String(text.prefix { $0 != "\u{0}" }))
        #expect(rows[0][4] as String == "text")
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(DISTINCT s) FROM t") } == 1)
    }

    @Test func nilBindsNull() throws {
        let queue = try Self.database()
        try queue.write { db in
            try db.write(cached: Self.insert) {
                $0.bind(nil as Int64?); $0.bind(nil as String?); $0.bind(nil as Date?); $0.bind(false)
            }
        }
        let row = try #require(try queue.read { try Row.fetchOne($0, sql: "SELECT typeof(i), typeof(s), typeof(d), b FROM t") })
        #expect(row[0] as String == "null" && row[1] as String == "null" && row[2] as String == "null")
        #expect(row[3] as Int == 0)
    }

    /// A refused write throws GRDB's error, leaves nothing behind, and the cached statement
    /// runs again afterwards with new values (none of the old ones linger).
    @Test func aConstraintViolationThrowsAndTheStatementIsReusable() throws {
        let queue = try Self.database()
        let sql = "INSERT INTO t (i, u) VALUES (?, ?)"
        try queue.write { db in
            try db.write(cached: sql) { $0.bind(Int64(1)); $0.bind("same") }
            do {
                try db.write(cached: sql) { $0.bind(Int64(2)); $0.bind("same") }
                Issue.record("a duplicate was inserted")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_CONSTRAINT)
                #expect(error.sql == sql)
            }
            try db.write(cached: sql) { $0.bind(Int64(3)); $0.bind("other") }
        }
        let rows = try queue.read { try Row.fetchAll($0, sql: "SELECT i, u FROM t ORDER BY id") }
        #expect(rows.map { $0[0] as Int64 } == [1, 3])
    }

    /// Outside a transaction (after SQLite ended one on its own) a write must not commit alone.
    @Test func aWriteOutsideATransactionIsRefused() throws {
        let queue = try Self.database()
        try queue.writeWithoutTransaction { db in
            #expect(throws: DatabaseError.self) {
                try db.write(cached: Self.insert) { $0.bind(Int64(1)); $0.bind("x"); $0.bind(Date()); $0.bind(true) }
            }
        }
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t") } == 0)
    }

    /// Binding fewer or more values than the statement has parameters stops the process: a
    /// silently NULL column would be a wrong row.
    @Test func aMissingValueTraps() async {
        await #expect(processExitsWith: .failure) {
            let queue = try StatementBindingsTests.database()
            try queue.write { db in try db.write(cached: StatementBindingsTests.insert) { $0.bind(Int64(1)) } }
        }
    }
}
