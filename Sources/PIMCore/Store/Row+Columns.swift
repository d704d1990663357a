package import Foundation
package import GRDB

/// Values by column index, what the decoders of `Tables` read: from a GRDB `Row`, or in place
/// from the statement being stepped (`StatementColumns`, what `Tables.all` and `one` give).
protocol ColumnReader {
    func string(_ index: Int) -> String
    func optionalString(_ index: Int) -> String?
    func int64(_ index: Int) -> Int64
    func optionalInt64(_ index: Int) -> Int64?
    func int(_ index: Int) -> Int
    func optionalInt(_ index: Int) -> Int?
    func bool(_ index: Int) -> Bool
    func date(_ index: Int) -> Date
    func optionalDate(_ index: Int) -> Date?
    /// The UTF-8 bytes of a text column, valid only inside `body`.
    func withText<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T
}

/// Values of a row by column index through GRDB's concrete conversions. The generic
/// `row[i] as String?` looks up `Optional<String>`'s metadata on every call, the largest cost of
/// decoding a page of assignments; the untyped `row[i]` does not. A value of the wrong kind
/// falls back to the generic subscript, which fails as loudly as before.
extension Row: ColumnReader {
    private func value(_ index: Int) -> DatabaseValue {
        let value: (any DatabaseValueConvertible)? = self[index]
        return value?.databaseValue ?? .null
    }

    func string(_ index: Int) -> String {
        String.fromDatabaseValue(value(index)) ?? self[index]
    }

    func withText<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        var text = string(index)
        return try text.withUTF8(body)
    }

    func optionalString(_ index: Int) -> String? {
        let value = value(index)
        return value.isNull ? nil : String.fromDatabaseValue(value) ?? self[index]
    }

    func int64(_ index: Int) -> Int64 {
        Int64.fromDatabaseValue(value(index)) ?? self[index]
    }

    func optionalInt64(_ index: Int) -> Int64? {
        let value = value(index)
        return value.isNull ? nil : Int64.fromDatabaseValue(value) ?? self[index]
    }

    func int(_ index: Int) -> Int {
        Int.fromDatabaseValue(value(index)) ?? self[index]
    }

    func optionalInt(_ index: Int) -> Int? {
        let value = value(index)
        return value.isNull ? nil : Int.fromDatabaseValue(value) ?? self[index]
    }

    func bool(_ index: Int) -> Bool {
        Bool.fromDatabaseValue(value(index)) ?? self[index]
    }

    func date(_ index: Int) -> Date {
        Self.date(value(index)) ?? self[index]
    }

    func optionalDate(_ index: Int) -> Date? {
        let value = value(index)
        return value.isNull ? nil : Self.date(value) ?? self[index]
    }

    /// Stored text the fast way (see `UTCText.storedDate`), anything else GRDB's way.
    private static func date(_ value: DatabaseValue) -> Date? {
        if case .string(let text) = value.storage, let date = UTCText.storedDate(text) { return date }
        return Date.fromDatabaseValue(value)
    }
}

extension Row {
    /// The date in `column`, read like the `Tables` decoders read it. GRDB's own date
    /// conversion goes through a Gregorian `Calendar`, whose first use loads ICU's locale and
    /// calendar data into the process (about 2 MB resident, measured in Benchmarks/portal.sh).
    package func storedDate(_ column: String) -> Date? {
        let value: DatabaseValue = self[column]
        return value.isNull ? nil : Self.date(value) ?? self[column]
    }
}

extension Tables {
    /// Every row of a cached statement, decoded straight from the statement: no copy of each
    /// row, unlike `Row.fetchAll`.
    static func all<T>(
        _ db: Database, _ sql: String, _ arguments: StatementArguments = [], _ decode: (StatementColumns) throws -> T
    ) throws -> [T] {
        try decodeAll(StatementColumnsCursor(db.cachedStatement(sql: sql), arguments: arguments), decode)
    }

    /// `all` with the parameters bound in place by `bind` (see `StatementBindings`).
    static func all<T>(
        _ db: Database, _ sql: String, bind: (inout StatementBindings) -> Void, _ decode: (StatementColumns) throws -> T
    ) throws -> [T] {
        try decodeAll(StatementColumnsCursor(db.cachedStatement(sql: sql), bind: bind), decode)
    }

    private static func decodeAll<T>(_ rows: StatementColumnsCursor, _ decode: (StatementColumns) throws -> T) throws -> [T] {
        var result: [T] = []
        while let row = try rows.next() { result.append(try decode(row)) }
        return result
    }

    /// `one` with the parameters bound in place by `bind` (see `StatementBindings`).
    static func one<T>(
        _ db: Database, _ sql: String, bind: (inout StatementBindings) -> Void, _ decode: (StatementColumns) throws -> T
    ) throws -> T? {
        let rows = try StatementColumnsCursor(db.cachedStatement(sql: sql), bind: bind)
        return try rows.next().map(decode)
    }

    /// The first row of a cached statement, decoded straight from the statement.
    static func one<T>(
        _ db: Database, _ sql: String, _ arguments: StatementArguments = [], _ decode: (StatementColumns) throws -> T
    ) throws -> T? {
        let rows = try StatementColumnsCursor(db.cachedStatement(sql: sql), arguments: arguments)
        return try rows.next().map(decode)
    }
}

extension Date {
    /// This date as an SQL argument: the text GRDB would store, made without its formatter
    /// (see `UTCText.stored`).
    package var storedValue: DatabaseValue { UTCText.stored(self).databaseValue }
}
