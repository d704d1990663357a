import Foundation
import PIMCore

/// The filters of the Audit and My audit pages and their CSV downloads, as read from the query
/// string. Dates are days in the configured time zone; the range is turned into UTC instants.
/// `filter` is what PIMCore's audit query receives.
struct AuditFilterForm: Sendable, Equatable {
    enum Preset: String, Sendable, CaseIterable {
        case today, days7 = "7d", days30 = "30d", custom, all

        var label: String {
            switch self {
            case .today: return "Today"
            case .days7: return "Last 7 days"
            case .days30: return "Last 30 days"
            case .custom: return "Custom range"
            case .all: return "All time"
            }
        }
    }

    var preset: Preset = .days30
    /// As typed (yyyy-MM-dd), kept for re-showing the form.
    var customFrom = ""
    var customTo = ""
    /// Inclusive lower and exclusive upper bound of the event time.
    var from: Date?
    var to: Date?
    var roleID: Int64?
    /// Actor or target (member) of the event.
    var user = ""
    var action = ""
    /// My audit: only events where this user is the actor or the target (the user field is
    /// then not offered).
    var scopeUser: String?
    /// Paging: only events older than this sequence number.
    var before: Int64?

    /// Field name → message for values that could not be read.
    var errors: [String: String] = [:]

    /// Reads the filter from query items (last value wins); `now` and `timeZone` fix the presets.
    init(query: [String: String], now: Date, timeZone: TimeZone, scopeUser: String? = nil) {
        self.scopeUser = scopeUser
        preset = Preset(rawValue: query["range"] ?? "") ?? .days30
        roleID = query["role"].flatMap { Int64($0) }
        user = (query["user"] ?? "").trimmingCharacters(in: .whitespaces)
        action = (query["action"] ?? "").trimmingCharacters(in: .whitespaces)
        before = query["before"].flatMap { Int64($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let startOfToday = calendar.startOfDay(for: now)
        switch preset {
        case .today:
            from = startOfToday
        case .days7:
            from = calendar.date(byAdding: .day, value: -6, to: startOfToday)
        case .days30:
            from = calendar.date(byAdding: .day, value: -29, to: startOfToday)
        case .all:
            break
        case .custom:
            customFrom = (query["from"] ?? "").trimmingCharacters(in: .whitespaces)
            customTo = (query["to"] ?? "").trimmingCharacters(in: .whitespaces)
            if !customFrom.isEmpty {
                if let day = Self.day(customFrom, calendar: calendar) { from = day } else {
                    errors["from"] = "Enter the start date as YYYY-MM-DD."
                }
            }
            if !customTo.isEmpty {
                if let day = Self.day(customTo, calendar: calendar) {
                    to = calendar.date(byAdding: .day, value: 1, to: day)
                } else {
                    errors["to"] = "Enter the end date as YYYY-MM-DD."
                }
            }
            if let from, let to, to <= from { errors["to"] = "The end date is before the start date." }
        }
    }

    /// PIMCore's filter; nothing is selected by dates that could not be read.
    var filter: AuditFilter {
        AuditFilter(since: errors.isEmpty ? from : nil, until: errors.isEmpty ? to : nil, roleID: roleID,
                    user: scopeUser ?? (user.isEmpty ? nil : user), action: action.isEmpty ? nil : action)
    }

    /// The query string of this filter (without paging), for links and the CSV download.
    var queryString: String {
        var items: [(String, String)] = [("range", preset.rawValue)]
        if preset == .custom {
            items.append(("from", customFrom))
            items.append(("to", customTo))
        }
        if let roleID { items.append(("role", String(roleID))) }
        if !user.isEmpty { items.append(("user", user)) }
        if !action.isEmpty { items.append(("action", action)) }
        return items.map { "\($0.0)=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A day "yyyy-MM-dd" at its start in the calendar's time zone.
    private static func day(_ text: String, calendar: Calendar) -> Date? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]),
              let day = Int(parts[2]), (1...12).contains(month), (1...31).contains(day) else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day else { return nil }
        return date
    }
}
