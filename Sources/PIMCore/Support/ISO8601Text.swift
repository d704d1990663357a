import Foundation

/// UTC times as mails and audit details show them, "2026-11-25T15:36:15Z": the text of
/// `ISO8601DateFormatter().string(from:)`, byte for byte (the mail worker parses it), without
/// building a formatter per call (creating one costs more than the rest of an activation).
enum ISO8601Text {
    static func string(from date: Date) -> String {
        // Like the formatter: round to the millisecond, then drop the fraction of the second.
        let milliseconds = ((date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5).rounded(.down)
        let seconds = (milliseconds / 1000).rounded(.down)
        // The formatter's calendar is Julian before 1582; times that old (or past 9999) are not
        // PIM's, so they may pay for a formatter.
        guard seconds >= gregorianOnly, seconds < yearTenThousand else { return ISO8601DateFormatter().string(from: date) }
        let whole = Int(seconds)
        var (day, second) = (whole / 86_400, whole % 86_400)
        if second < 0 { (day, second) = (day - 1, second + 86_400) }  // before 1970: floor, not truncate
        let (year, month, dayOfMonth) = civil(daysSince1970: day)
        var bytes: [UInt8] = Array(repeating: UInt8(ascii: "0"), count: 20)
        func put(_ value: Int, at offset: Int, digits: Int) {
            var value = value
            for i in stride(from: offset + digits - 1, through: offset, by: -1) {
                bytes[i] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(year, at: 0, digits: 4)
        bytes[4] = UInt8(ascii: "-")
        put(month, at: 5, digits: 2)
        bytes[7] = UInt8(ascii: "-")
        put(dayOfMonth, at: 8, digits: 2)
        bytes[10] = UInt8(ascii: "T")
        put(second / 3600, at: 11, digits: 2)
        bytes[13] = UInt8(ascii: ":")
        put(second / 60 % 60, at: 14, digits: 2)
        bytes[16] = UInt8(ascii: ":")
        put(second % 60, at: 17, digits: 2)
        bytes[19] = UInt8(ascii: "Z")
        return String(decoding: bytes, as: UTF8.self)
    }

    /// 1583-01-01T00:00:00Z and 10000-01-01T00:00:00Z, in seconds since 1970.
    private static let gregorianOnly = -12_212_553_600.0
    private static let yearTenThousand = 253_402_300_800.0

    /// The proleptic Gregorian date of a day number (days since 1970-01-01), after Howard Hinnant's `civil_from_days`.
    private static func civil(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
