import Foundation
import PIMTemplates
import Synchronization

/// Times as people read them: in the configured zone, with the zone named.
///
/// Formatting is arithmetic on the civil date (PIMTemplates' `DatePattern`, the same code as the
/// templates' `date` filter): no DateFormatter per call, nothing shared between threads. Parsing
/// keeps DateFormatter's rules (DST gaps, strict digits), with one formatter per zone and pattern
/// kept for the life of the process.
struct TimeText: Sendable {
    let timeZone: TimeZone
    /// The zone as configured ("UTC" stays "UTC"; Foundation would call it "GMT").
    let zoneName: String

    init(timeZone: TimeZone, name: String? = nil) {
        self.timeZone = timeZone
        self.zoneName = name ?? timeZone.identifier
    }

    private static let clockPattern = pattern("HH:mm")
    private static let fullPattern = pattern("yyyy-MM-dd HH:mm")
    private static let inputPattern = pattern("yyyy-MM-dd'T'HH:mm")

    /// "14:30" in the configured zone.
    func clock(_ date: Date) -> String { Self.clockPattern.format(date, in: timeZone) }

    /// "2026-11-25 14:30 Europe/Berlin".
    func full(_ date: Date) -> String { Self.fullPattern.format(date, in: timeZone) + " " + zoneName }

    /// "14:30 Europe/Berlin" today, the full form on other days (relative to `now`).
    func short(_ date: Date, now: Date) -> String {
        localDay(date) == localDay(now) ? clock(date) + " " + zoneName : full(date)
    }

    /// The value of `<input type="datetime-local">` for `date` ("2026-11-25T14:30").
    func inputValue(_ date: Date) -> String { Self.inputPattern.format(date, in: timeZone) }

    /// Parses a `datetime-local` value in the configured zone; nil when malformed.
    func parseInput(_ text: String) -> Date? {
        Self.parse(text, pattern: text.count > 16 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm", in: timeZone)
    }

    /// Days since 1970-01-01 of the calendar day `date` falls on in the zone.
    private func localDay(_ date: Date) -> Int {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        return local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400)
    }

    private static func pattern(_ text: String) -> DatePattern {
        do { return try DatePattern(text) } catch { preconditionFailure("TimeText pattern \(text): \(error)") }
    }

    private struct ParserKey: Hashable {
        let zone: String
        let pattern: String
    }

    /// DateFormatter is not Sendable: the formatters live inside the Mutex and are used only
    /// while it is held. Keyed by zone identifier, so a time zone saved on Settings gets its own.
    private static let parsers = Mutex<[ParserKey: DateFormatter]>([:])

    private static func parse(_ text: String, pattern: String, in zone: TimeZone) -> Date? {
        let key = ParserKey(zone: zone.identifier, pattern: pattern)
        return parsers.withLock { parsers -> Date? in
            if let formatter = parsers[key] { return formatter.date(from: text) }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.calendar = Calendar(identifier: .gregorian)
            formatter.timeZone = zone
            formatter.dateFormat = pattern
            parsers[key] = formatter
            return formatter.date(from: text)
        }
    }
}
