import Foundation
import GRDB

/// UTC times as text, byte for byte what Foundation's formatters write, without a formatter:
/// creating an `ISO8601DateFormatter` cost more than the rest of an activation, and GRDB's one
/// shared `DateFormatter` (ICU under a lock) was the largest cost of binding a write's arguments.
enum UTCText {
    /// "2026-11-25T15:36:15Z", as `ISO8601DateFormatter().string(from:)` (mails and audit
    /// details; the mail worker parses it).
    static func iso8601(_ date: Date) -> String {
        guard let fields = Fields(date) else { return ISO8601DateFormatter().string(from: date) }
        var bytes = [UInt8](repeating: 0, count: 20)
        fields.write(into: &bytes, dateTimeSeparator: UInt8(ascii: "T"))
        bytes[19] = UInt8(ascii: "Z")
        return String(decoding: bytes, as: UTF8.self)
    }

    /// "2026-11-25 15:36:15.123", as GRDB stores a `Date` (`Date.databaseValue`).
    static func stored(_ date: Date) -> String {
        guard let fields = Fields(date) else { return String.fromDatabaseValue(date.databaseValue) ?? "" }
        var bytes = [UInt8](repeating: 0, count: 23)
        fields.write(into: &bytes, dateTimeSeparator: UInt8(ascii: " "))
        bytes[19] = UInt8(ascii: ".")
        put(fields.millisecond, into: &bytes, at: 20, digits: 3)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The calendar fields of a time, computed as Foundation does: round to the millisecond,
    /// then split. Nil before 1583 (Foundation's calendar is Julian before the Gregorian reform)
    /// and from year 10000: not PIM's times, so they may pay for a formatter.
    private struct Fields {
        var year, month, day, hour, minute, second, millisecond: Int

        init?(_ date: Date) {
            let milliseconds = ((date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5).rounded(.down)
            let seconds = (milliseconds / 1000).rounded(.down)
            guard seconds >= -12_212_553_600, seconds < 253_402_300_800 else { return nil }
            millisecond = Int(milliseconds - seconds * 1000)
            var (days, secondOfDay) = (Int(seconds) / 86_400, Int(seconds) % 86_400)
            if secondOfDay < 0 { (days, secondOfDay) = (days - 1, secondOfDay + 86_400) }  // floor before 1970
            (hour, minute, second) = (secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
            // Howard Hinnant's civil_from_days (proleptic Gregorian, days since 1970-01-01).
            let z = days + 719_468
            let era = (z >= 0 ? z : z - 146_096) / 146_097
            let dayOfEra = z - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let shifted = (5 * dayOfYear + 2) / 153
            day = dayOfYear - (153 * shifted + 2) / 5 + 1
            month = shifted < 10 ? shifted + 3 : shifted - 9
            year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        }

        /// "yyyy-MM-dd?HH:mm:ss" into the first 19 bytes.
        func write(into bytes: inout [UInt8], dateTimeSeparator: UInt8) {
            put(year, into: &bytes, at: 0, digits: 4)
            bytes[4] = UInt8(ascii: "-")
            put(month, into: &bytes, at: 5, digits: 2)
            bytes[7] = UInt8(ascii: "-")
            put(day, into: &bytes, at: 8, digits: 2)
            bytes[10] = dateTimeSeparator
            put(hour, into: &bytes, at: 11, digits: 2)
            bytes[13] = UInt8(ascii: ":")
            put(minute, into: &bytes, at: 14, digits: 2)
            bytes[16] = UInt8(ascii: ":")
            put(second, into: &bytes, at: 17, digits: 2)
        }
    }

    private static func put(_ value: Int, into bytes: inout [UInt8], at offset: Int, digits: Int) {
        var value = value
        for i in stride(from: offset + digits - 1, through: offset, by: -1) {
            bytes[i] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
    }
}
