import Foundation

/// The facts of one outbox row (its JSON payload of strings), with the keys PIMMail's
/// templates know. Missing keys read as "" so a template's `{% if facts.ticketNumber %}` works
/// for every kind; extra keys are kept.
struct MailFacts: Sendable, Equatable {
    /// Payload keys PIMCore writes (see README.md, "Payload").
    static let knownKeys = [
        "roleName", "roleID", "requestID", "requestKind", "actor", "requester", "requesterName", "assignee",
        "assigneeName", "assignmentType", "windowStart", "windowEnd", "requestedStart", "duration", "justification",
        "ticketSystem", "ticketNumber", "decision", "decisionJustification", "decidedBy", "decidedByName", "link", "inDays",
        // PIMAuth's account mails (mfaLocked, signInLocked).
        "wrongCodes", "lockMinutes", "failedAttempts", "lockedUntil",
    ]

    private(set) var values: [String: String]

    init(values: [String: String]) {
        var all = Dictionary(uniqueKeysWithValues: Self.knownKeys.map { ($0, "") })
        all.merge(values) { _, new in new }
        self.values = all
    }

    /// Parses the payload column; a row whose payload is not a JSON object of strings cannot be
    /// rendered (a permanent failure).
    init(json: String) throws(MailError) {
        guard let decoded = try? JSONDecoder().decode([String: String].self, from: Data(json.utf8)) else {
            throw .unrenderable("payload is not a JSON object of strings")
        }
        self.init(values: decoded)
    }

    subscript(key: String) -> String { values[key] ?? "" }

    /// "name" for a user: the display name when known, else the user name.
    func person(_ key: String) -> String {
        let name = self[key + "Name"]
        return name.isEmpty ? self[key] : name
    }

    /// "1 day" / "14 days" for the expiry reminders.
    var inDaysText: String { self["inDays"] == "1" ? "1 day" : "\(self["inDays"]) days" }

    /// The window as text in `timeZone`, e.g. "25 Nov 2026 14:00 – 22:00 (UTC)"; "" when unknown.
    func window(timeZone: TimeZone, zoneName: String) -> String {
        let start = Self.parseDate(self["windowStart"]) ?? Self.parseDate(self["requestedStart"])
        let end = Self.parseDate(self["windowEnd"])
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "d MMM yyyy HH:mm"
        let zone = " (\(zoneName))"
        switch (start, end) {
        case let (start?, end?):
            let sameDay = Calendar(identifier: .gregorian).dateComponents(in: timeZone, from: start).day
                == Calendar(identifier: .gregorian).dateComponents(in: timeZone, from: end).day
                && end.timeIntervalSince(start) < 86_400
            let endText: String
            if sameDay {
                formatter.dateFormat = "HH:mm"
                endText = formatter.string(from: end)
                formatter.dateFormat = "d MMM yyyy HH:mm"
            } else {
                endText = formatter.string(from: end)
            }
            return formatter.string(from: start) + " – " + endText + zone
        case let (start?, nil):
            // PIMCore writes windowEnd "permanent" for assignments without an end.
            let open = self["windowEnd"] == "permanent" ? " (permanent)" : ""
            return "from " + formatter.string(from: start) + open + zone
        case let (nil, end?): return "until " + formatter.string(from: end) + zone
        case (nil, nil): return ""
        }
    }

    /// ISO 8601 with or without fractional seconds, as PIMCore writes them.
    static func parseDate(_ text: String) -> Date? {
        guard !text.isEmpty else { return nil }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
