import CSQLiteSetup
package import Foundation
package import GRDB

/// The columns of the row a statement is stepped on, read in place with SQLite's column
/// functions: no `DatabaseValue`, no existential box and no `Row` per value, which was most of
/// the cost of decoding a page of assignments. Valid only until the statement steps again.
///
/// Each accessor takes the value only when SQLite holds it with the expected storage class
/// (TEXT for strings and dates, INTEGER for numbers and booleans); anything else goes through
/// GRDB's conversion of the same value, and a value that cannot convert stops the process like
/// GRDB's `row[i]` does, naming the column but never the value.
package struct StatementColumns: ColumnReader {
    let statement: SQLiteStatement
    /// The cursor stepping `statement`, held so that it cannot be freed (and reset the
    /// statement, which empties the row) while these columns are still read.
    let cursor: StatementColumnsCursor

    private func type(_ index: Int) -> Int32 { sqlite3_column_type(statement, Int32(index)) }

    private func text<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        // sqlite3_column_text before sqlite3_column_bytes: the byte count is that of the text form.
        let start = sqlite3_column_text(statement, Int32(index))
        let count = Int(sqlite3_column_bytes(statement, Int32(index)))
        return try body(UnsafeBufferPointer(start: start, count: start == nil ? 0 : count))
    }

    /// GRDB's conversion of the column, for storage classes the fast paths do not take.
    private func converted<T: DatabaseValueConvertible>(_ index: Int, as _: T.Type) -> T? {
        let value = DatabaseValue(sqliteStatement: statement, index: Int32(index))
        if value.isNull { return nil }
        guard let converted = T.fromDatabaseValue(value) else {
            fatalError("could not decode \(T.self) from the \(value.storage.kindName) in column \(index)")
        }
        return converted
    }

    private func required<T>(_ value: T?, _ index: Int) -> T {
        guard let value else { fatalError("could not decode \(T.self) from NULL in column \(index)") }
        return value
    }

    package func optionalString(_ index: Int) -> String? {
        switch type(index) {
        case SQLITE_NULL: nil
        case SQLITE_TEXT: text(index) { String(decoding: $0, as: UTF8.self) }
        default: converted(index, as: String.self)
        }
    }

    package func string(_ index: Int) -> String { required(optionalString(index), index) }

    package func withText<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        guard type(index) == SQLITE_TEXT else {
            var text = string(index)
            return try text.withUTF8(body)
        }
        return try text(index, body)
    }

    package func optionalInt64(_ index: Int) -> Int64? {
        switch type(index) {
        case SQLITE_NULL: nil
        case SQLITE_INTEGER: sqlite3_column_int64(statement, Int32(index))
        default: converted(index, as: Int64.self)
        }
    }

    package func int64(_ index: Int) -> Int64 { required(optionalInt64(index), index) }

    package func optionalInt(_ index: Int) -> Int? {
        switch type(index) {
        case SQLITE_NULL: nil
        case SQLITE_INTEGER: Int(sqlite3_column_int64(statement, Int32(index)))
        default: converted(index, as: Int.self)
        }
    }

    package func int(_ index: Int) -> Int { required(optionalInt(index), index) }

    package func bool(_ index: Int) -> Bool {
        switch type(index) {
        case SQLITE_INTEGER: sqlite3_column_int64(statement, Int32(index)) != 0
        default: required(converted(index, as: Bool.self), index)
        }
    }

    package func optionalDate(_ index: Int) -> Date? {
        switch type(index) {
        case SQLITE_NULL: return nil
        case SQLITE_TEXT:
            if let date = text(index, UTCText.storedDate(bytes:)) { return date }
            return converted(index, as: Date.self)
        default: return converted(index, as: Date.self)
        }
    }

    package func date(_ index: Int) -> Date { required(optionalDate(index), index) }
}

extension DatabaseValue.Storage {
    /// The storage class, for messages that must not show the value.
    var kindName: String {
        switch self {
        case .null: "NULL"
        case .int64: "INTEGER"
        case .double: "REAL"
        case .string: "TEXT"
        case .blob: "BLOB"
        }
    }
}

/// Steps a statement and gives `StatementColumns` for each row. GRDB's `RowCursor` builds a
/// `Row` first, whose set-up (a dictionary of the lowercased column names) cost more than
/// decoding a whole assignment; this cursor only binds the arguments and steps, through GRDB's
/// own stepping (statement bookkeeping, errors).
package final class StatementColumnsCursor: DatabaseCursor {
    package typealias Element = StatementColumns
    package var _isDone = false
    package let _statement: Statement

    package init(_ statement: Statement, arguments: StatementArguments) throws {
        _statement = statement
        try statement.setArguments(arguments)  // resets, validates and binds
    }

    /// The statement with its parameters bound in place by `bind` (see `StatementBindings`).
    package init(_ statement: Statement, bind: (inout StatementBindings) -> Void) {
        _statement = statement
        StatementBindings.rebind(statement.sqliteStatement, sql: statement.sql, bind)
    }

    deinit {
        // As GRDB's cursors do: a statement left stepping would hold its read transaction.
        sqlite3_reset(_statement.sqliteStatement)
    }

    package func _element(sqliteStatement: SQLiteStatement) -> StatementColumns {
        StatementColumns(statement: sqliteStatement, cursor: self)
    }
}
