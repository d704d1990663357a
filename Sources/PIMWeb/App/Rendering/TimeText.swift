import Foundation

/// Times as people read them: in the configured zone, with the zone named.
struct TimeText: Sendable {
    let timeZone: TimeZone
    /// The zone as configured ("UTC" stays "UTC"; Foundation would call it "GMT").
    let zoneName: String

    init(timeZone: TimeZone, name: String? = nil) {
        self.timeZone = timeZone
        self.zoneName = name ?? timeZone.identifier
    }

    /// "14:30" in the configured zone.
    func clock(_ date: Date) -> String { format(date, "HH:mm") }

    /// "2026-11-25 14:30 Europe/Berlin".
    func full(_ date: Date) -> String { format(date, "yyyy-MM-dd HH:mm") + " " + zoneName }

    /// "14:30 Europe/Berlin" today, the full form on other days (relative to `now`).
    func short(_ date: Date, now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.isDate(date, inSameDayAs: now) ? clock(date) + " " + zoneName : full(date)
    }

    /// The value of `<input type="datetime-local">` for `date` ("2026-11-25T14:30").
    func inputValue(_ date: Date) -> String { format(date, "yyyy-MM-dd'T'HH:mm") }

    /// Parses a `datetime-local` value in the configured zone; nil when malformed.
    func parseInput(_ text: String) -> Date? {
        let formatter = makeFormatter(text.count > 16 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm")
        return formatter.date(from: text)
    }


    private func format(_ date: Date, _ pattern: String) -> String {
        makeFormatter(pattern).string(from: date)
    }

    private func makeFormatter(_ pattern: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter
    }
}
