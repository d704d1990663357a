import Foundation
import GRDB
import PIMCore

/// The user's mail when wrong passwords lock their account's sign-in (issue 7), queued in the
/// transaction of the failure's audit event.
enum SignInLockMail {
    /// Queues the mail for `typed` when it names a user with a profile address; anything else
    /// (unknown names, users who never signed in, no address) queues nothing, so a typed name
    /// never mails an arbitrary address nor behaves differently for users that exist. The mail
    /// says only how many attempts failed and when the lock ends. Returns whether it queued.
    static func enqueue(typed: String, failures: Int, until: Date, now: Date, in db: Database) throws -> Bool {
        guard let profile = try UserProfiles.fetch(typed, in: db), let email = profile.email, !email.isEmpty else { return false }
        let payload = [
            "assignee": profile.username, "assigneeName": profile.displayName, "link": "/signin",
            "failedAttempts": "\(failures)", "lockedUntil": lockEndText(until),
        ]
        try Outbox.enqueue([OutboxMessage(
            kind: .signInLocked, recipient: email, recipientName: profile.displayName.isEmpty ? nil : profile.displayName,
            critical: OutboxKind.signInLocked.isCritical, payload: payload)], at: now, in: db)
        return true
    }

    /// "25 Nov 2026 14:41:07 UTC": fixed zone and locale, so the mail reads the same everywhere.
    static func lockEndText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMM yyyy HH:mm:ss"
        return formatter.string(from: date) + " UTC"
    }
}
