import Foundation
import GRDB
import PIMAuth
import PIMCore

/// The portal-wide settings of the Settings page: time zone, sign-in and MFA policy. Stored as
/// one JSON row; each change is audited in the same transaction. The time zone applies at once;
/// the session and TOTP values configure PIMAuth when the portal starts.
struct SiteSettings: Codable, Sendable, Equatable {
    /// An IANA identifier; pages show times in it with the zone named.
    var timeZone = "UTC"
    /// Sessions end after this much inactivity (5–240 min).
    var sessionIdleMinutes = 30
    /// Sessions end this long after sign-in whatever the activity (1–24 h).
    var sessionAbsoluteHours = 12
    /// Wrong TOTP codes before the lock (3–10), and the lock's length (1–60 min).
    var totpLockoutAttempts = 5
    var totpLockoutMinutes = 15

    static let defaults = SiteSettings()

    static let migration = SchemaMigration(name: "web-1-site-settings") { db in
        try db.execute(sql: """
            CREATE TABLE site_settings (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              settings TEXT NOT NULL,
              updated_at DATETIME NOT NULL,
              updated_by TEXT NOT NULL
            )
            """)
    }

    /// The stored settings, or nil when none were saved yet.
    static func load(in db: Database) throws -> SiteSettings? {
        guard let text = try String.fetchOne(db, sql: "SELECT settings FROM site_settings WHERE id = 1") else {
            return nil
        }
        return try JSONDecoder().decode(SiteSettings.self, from: Data(text.utf8))
    }

    var sessionConfiguration: SessionConfiguration {
        SessionConfiguration(idleTimeout: Double(sessionIdleMinutes) * 60, absoluteTimeout: Double(sessionAbsoluteHours) * 3600)
    }

    func totpConfiguration(issuer: String) -> TOTPConfiguration {
        TOTPConfiguration(issuer: issuer, maxFailures: totpLockoutAttempts, lockDuration: Double(totpLockoutMinutes) * 60)
    }

    /// Saves the settings and their audit event in one transaction.
    static func save(_ settings: SiteSettings, by actor: String, sourceAddress: String?, at now: Date, in db: Database) throws {
        let before = try load(in: db) ?? .defaults
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(settings), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO site_settings (id, settings, updated_at, updated_by) VALUES (1, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at,
                  updated_by = excluded.updated_by
                """,
            arguments: [text, now.storedValue, actor])
        try AuditLog.append(
            AuditEventDraft(
                time: now, actor: actor, action: "siteSettingsUpdate", sourceAddress: sourceAddress,
                details: settings.changes(from: before)),
            in: db)
    }

    /// "time zone: UTC → Europe/Berlin; …" for the audit details.
    func changes(from old: SiteSettings) -> String {
        var parts: [String] = []
        func note<T: Equatable>(_ name: String, _ a: T, _ b: T) { if a != b { parts.append("\(name): \(a) → \(b)") } }
        note("time zone", old.timeZone, timeZone)
        note("session idle minutes", old.sessionIdleMinutes, sessionIdleMinutes)
        note("session absolute hours", old.sessionAbsoluteHours, sessionAbsoluteHours)
        note("TOTP lockout attempts", old.totpLockoutAttempts, totpLockoutAttempts)
        note("TOTP lockout minutes", old.totpLockoutMinutes, totpLockoutMinutes)
        return parts.isEmpty ? "no change" : parts.joined(separator: "; ")
    }
}

/// The Settings form: strings as typed, and their reading with a message per field.
struct SiteSettingsForm: Sendable {
    var values: [String: String]

    init(_ settings: SiteSettings) {
        values = [
            "timeZone": settings.timeZone,
            "sessionIdleMinutes": String(settings.sessionIdleMinutes),
            "sessionAbsoluteHours": String(settings.sessionAbsoluteHours),
            "totpLockoutAttempts": String(settings.totpLockoutAttempts),
            "totpLockoutMinutes": String(settings.totpLockoutMinutes),
        ]
    }

    init(form value: (String) -> String?) {
        values = [:]
        for name in ["timeZone", "sessionIdleMinutes", "sessionAbsoluteHours", "totpLockoutAttempts", "totpLockoutMinutes"] {
            values[name] = (value(name) ?? "").trimmingCharacters(in: .whitespaces)
        }
    }

    subscript(name: String) -> String { values[name] ?? "" }

    func parse() -> (settings: SiteSettings, errors: FormErrors) {
        var errors = FormErrors()
        var settings = SiteSettings()
        if TimeZone(identifier: self["timeZone"]) != nil, !self["timeZone"].isEmpty {
            settings.timeZone = self["timeZone"]
        } else {
            errors.add("timeZone", "Choose a time zone from the list.")
        }
        func number(_ name: String, _ range: ClosedRange<Int>, _ message: String) -> Int {
            guard let value = Int(self[name]), range.contains(value) else {
                errors.add(name, message)
                return range.lowerBound
            }
            return value
        }
        settings.sessionIdleMinutes = number("sessionIdleMinutes", 5...240, "Enter an idle timeout between 5 and 240 minutes.")
        settings.sessionAbsoluteHours = number("sessionAbsoluteHours", 1...24, "Enter a session lifetime between 1 and 24 hours.")
        settings.totpLockoutAttempts = number("totpLockoutAttempts", 3...10, "Enter between 3 and 10 wrong codes.")
        settings.totpLockoutMinutes = number("totpLockoutMinutes", 1...60, "Enter a lock of 1 to 60 minutes.")
        if settings.sessionAbsoluteHours * 60 < settings.sessionIdleMinutes, errors.message(for: "sessionAbsoluteHours") == nil {
            errors.add("sessionAbsoluteHours", "The session lifetime must not be shorter than the idle timeout.")
        }
        return (settings, errors)
    }
}
