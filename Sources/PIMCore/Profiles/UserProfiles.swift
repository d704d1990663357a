public import Foundation
public import GRDB

/// What PIM remembers of a user it has seen.
public struct UserProfile: Sendable, Equatable {
    public var username: String
    public var displayName: String
    public var email: String?
    public var mfaEnrolled: Bool
    public var lastSignInAt: Date?
    public var createdAt: Date
}

/// The `user_profile` table.
public enum UserProfiles {
    /// Records a sign-in: creates the profile or refreshes display name, email, MFA enrolment and
    /// last sign-in. A nil email keeps the stored one.
    public static func upsertOnSignIn(
        username: String, displayName: String, email: String?, mfaEnrolled: Bool,
        at time: Date, in db: Database
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO user_profile (username, display_name, email, mfa_enrolled, last_sign_in_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(username) DO UPDATE SET
                  display_name = excluded.display_name,
                  email = coalesce(excluded.email, user_profile.email),
                  mfa_enrolled = excluded.mfa_enrolled,
                  last_sign_in_at = excluded.last_sign_in_at
                """,
            arguments: [username, displayName, email, mfaEnrolled, time.storedValue, time.storedValue])
    }

    /// Sets the MFA enrolment flag (creating a bare profile if needed). The caller audits it.
    public static func setMFAEnrolled(_ enrolled: Bool, username: String, at time: Date, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO user_profile (username, mfa_enrolled, created_at) VALUES (?, ?, ?)
                ON CONFLICT(username) DO UPDATE SET mfa_enrolled = excluded.mfa_enrolled
                """,
            arguments: [username, enrolled, time])
    }

    /// When the user last activated a role: their newest activation's creation (an approved
    /// one is created at approval). Read from the assignments, not kept beside them: a profile
    /// write in every activation cost the one writer thread 2% of it.
    public static func lastActivation(of username: String, in db: Database) throws -> Date? {
        try Date.fetchOne(db, sql: """
            SELECT max(created_at) FROM assignment WHERE principal_kind = 'user' AND principal_name = ? AND is_activation
            """, arguments: [username])
    }

    // Decoded by column index (see `Tables`), in the order of this list.
    private static let columns = "username, display_name, email, mfa_enrolled, last_sign_in_at, created_at"

    public static func fetch(_ username: String, in db: Database) throws -> UserProfile? {
        try Tables.one(db, "SELECT \(columns) FROM user_profile WHERE username = ?", [username]) { row in
            UserProfile(
                username: row.string(0), displayName: row.string(1), email: row.optionalString(2), mfaEnrolled: row.bool(3),
                lastSignInAt: row.optionalDate(4), createdAt: row.date(5))
        }
    }

    /// The name and address mails use, nil without a profile.
    static func contact(_ username: String, in db: Database) throws -> ProfileContact? {
        try Tables.one(db, "SELECT display_name, email FROM user_profile WHERE username = ?", bind: { $0.bind(username) }) {
            ProfileContact(displayName: $0.string(0), email: $0.optionalString(1))
        }
    }
}
