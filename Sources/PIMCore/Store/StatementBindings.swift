import CSQLiteSetup
package import Foundation
package import GRDB

/// The values of a cached write statement, bound in place with SQLite's bind functions, in
/// parameter order. GRDB's `StatementArguments` box every value in an existential, convert it
/// to a `DatabaseValue`, validate the count and bind again: that was 11K instructions of each
/// insert of an activation, on the one writer thread every write waits for. The counterpart
/// of `StatementColumns` for writes.
package struct StatementBindings {
    fileprivate let statement: SQLiteStatement
    fileprivate var count: Int32 = 0

    /// SQLite copies the bytes before the call returns (SQLITE_TRANSIENT).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private mutating func next() -> Int32 {
        count += 1
        return count
    }

    package mutating func bind(_ value: Int64?) {
        let index = next()
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    package mutating func bind(_ value: Int?) { bind(value.map(Int64.init)) }

    package mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    /// Text up to its first NUL, if any: GRDB binds a C string, and reads one back.
    package mutating func bind(_ value: String?) {
        let index = next()
        guard var value else { sqlite3_bind_null(statement, index); return }
        value.withUTF8 { bytes in
            // "" may have no buffer, and SQLite binds NULL for a nil pointer.
            guard let base = bytes.baseAddress, case let count = Self.prefixBeforeNUL(base, bytes.count), count > 0 else {
                sqlite3_bind_text(statement, index, "", 0, Self.transient)
                return
            }
            base.withMemoryRebound(to: CChar.self, capacity: count) {
                _ = sqlite3_bind_text(statement, index, $0, Int32(count), Self.transient)
            }
        }
    }

    /// How many bytes come before the first NUL (memchr: vectorised, unlike a Swift loop).
    private static func prefixBeforeNUL(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        guard let nul = memchr(base, 0, count) else { return count }
        return UnsafeRawPointer(nul) - UnsafeRawPointer(base)
    }

    /// A date as the text GRDB stores (`UTCText.stored`), or NULL.
    package mutating func bind(_ value: Date?) { bind(value.map(UTCText.stored)) }

    /// Resets the statement and binds every parameter anew; a count that differs from the
    /// statement's stops the process (a parameter left NULL would be a wrong row or answer).
    static func rebind(_ handle: SQLiteStatement, sql: @autoclosure () -> String, _ bind: (inout StatementBindings) -> Void) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        var bindings = StatementBindings(statement: handle)
        bind(&bindings)
        precondition(bindings.count == sqlite3_bind_parameter_count(handle), "\(bindings.count) values bound for: \(sql())")
    }
}

extension Database {
    /// Runs a cached INSERT, UPDATE or DELETE whose every parameter `bind` binds, in order.
    /// Only inside a transaction: after SQLite ended one on its own (disk full, an I/O error),
    /// a write must fail rather than commit by itself (GRDB's statements check the same).
    package func write(cached sql: String, _ bind: (inout StatementBindings) -> Void) throws {
        guard isInsideTransaction else {
            throw DatabaseError(resultCode: .SQLITE_ABORT, message: "a write outside a transaction", sql: sql)
        }
        let handle = try cachedStatement(sql: sql).sqliteStatement
        StatementBindings.rebind(handle, sql: sql, bind)
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(sqliteConnection))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
        sqlite3_reset(handle)
    }
}
