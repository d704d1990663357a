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

    /// The date of a stored text "yyyy-MM-dd HH:mm:ss.SSS", as GRDB decodes it
    /// (`Date.fromDatabaseValue`, through a calendar), nil for any other form of text.
    static func storedDate(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { storedDate(bytes: $0) }
    }

    /// `storedDate(_:)` of the text's UTF-8 bytes (a column read in place).
    static func storedDate(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count == 23, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              bytes[19] == UInt8(ascii: ".") else { return nil }
        func number(_ from: Int, _ digits: Int) -> Int? {
            var value = 0
            for i in from..<(from + digits) {
                let digit = Int(bytes[i]) - 48
                guard digit >= 0, digit <= 9 else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              let millisecond = number(20, 3), year >= 1583, (1...12).contains(month), day >= 1,
              hour < 24, minute < 60, second < 60 else { return nil }
        // Days beyond the month's length are the calendar's business (GRDB's path rolls them over).
        guard day <= daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - 978_307_200
        return Date(timeIntervalSinceReferenceDate: Double(seconds) + Double(millisecond * 1_000_000) / 1_000_000_000)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
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
