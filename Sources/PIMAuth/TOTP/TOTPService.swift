public import Foundation
import GRDB
public import PIMCore

/// TOTP enrolment, verification with replay protection and lockout, removal and admin reset.
/// Each operation is one write transaction: the state change and its audit event commit together.
public final class TOTPService: Sendable {
    /// The store's group commit. The operations stay synchronous (they are rare: enrolment,
    /// step-up) and block their caller until the batch with their write is committed.
    private let writer: WriteCommitter
    private let clock: any PIMClock
    private let box: SecretBox
    private let sessions: SessionStore
    public let configuration: TOTPConfiguration
    /// Called after a commit that queued mail (reset, lockout): wakes PIMMail's worker.
    private let outboxChanged: (@Sendable () -> Void)?

    public init(writer: WriteCommitter, clock: any PIMClock, keys: AuthKeys, sessions: SessionStore,
                configuration: TOTPConfiguration = TOTPConfiguration(), outboxChanged: (@Sendable () -> Void)? = nil) {
        self.outboxChanged = outboxChanged
        self.writer = writer
        self.clock = clock
        self.box = SecretBox(keys: keys)
        self.sessions = sessions
        self.configuration = configuration
    }

    public func status(for user: String) throws -> TOTPStatus {
        let now = clock.now()
        return try writer.pool.read { db in
            let row = try Self.row(user, in: db)
            let pendingAt = row?.storedDate("pending_created_at")
            let locked = row?.storedDate("locked_until")
            return TOTPStatus(
                enrolled: row?["sealed_secret"] as Data? != nil,
                enrolledAt: row?.storedDate("enrolled_at"),
                pendingEnrolment: pendingAt.map { now.timeIntervalSince($0) < configuration.pendingLifetime } ?? false,
                lockedUntil: locked.flatMap { $0 > now ? $0 : nil })
        }
    }

    /// Starts (or restarts) an enrolment with a fresh 160-bit secret; active only once confirmed.
    /// An enrolled user needs `freshProofAt` (the session's MFA time) within the freshness limit.
    public func beginEnrolment(user: String, freshProofAt: Date?) throws -> TOTPEnrolment {
        let now = clock.now()
        let secret = SecureRandom.bytes(20)
        let sealed = try box.seal(secret, user: user)
        try writer.writeAndWait { [configuration] db in
            if try Self.row(user, in: db)?["sealed_secret"] as Data? != nil {
                guard let freshProofAt, now.timeIntervalSince(freshProofAt) <= configuration.reenrolmentFreshness else {
                    throw TOTPError.freshProofRequired
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO auth_totp (username, pending_secret, pending_created_at) VALUES (?, ?, ?)
                    ON CONFLICT(username) DO UPDATE SET
                      pending_secret = excluded.pending_secret, pending_created_at = excluded.pending_created_at
                    """,
                arguments: [user, sealed, now.storedValue])
        }
        let uri = OTPAuthURI.make(issuer: configuration.issuer, account: user, secret: secret)
        return TOTPEnrolment(
            uri: uri,
            qrCodeSVG: try QRCodeSVG.render(uri, title: "QR code for your authenticator app"),
            secretGroups: Base32.grouped(Base32.encode(secret)))
    }

    /// Confirms a started enrolment with a code from the app; on success the new secret replaces
    /// any old one, the profile says "enrolled" and the event is audited.
    public func confirmEnrolment(user: String, code: String, sourceAddress: String?) throws -> TOTPVerification {
        try check(user: user, code: code, sourceAddress: sourceAddress, column: "pending_secret") { db, now, counter, sealed in
            try db.execute(
                sql: """
                    UPDATE auth_totp SET sealed_secret = ?, pending_secret = NULL, pending_created_at = NULL,
                      enrolled_at = ?, last_counter = ?, failed_count = 0, locked_until = NULL
                    WHERE username = ?
                    """,
                arguments: [sealed, now.storedValue, Int64(counter), user])
            try UserProfiles.setMFAEnrolled(true, username: user, at: now, in: db)
            try Self.audit(AuthAuditAction.mfaEnrolled, user: user, now: now, source: sourceAddress, in: db)
            return .accepted(at: now)
        }
    }

    /// Verifies a code of an enrolled user (step-up). Accepts each time-step at most once.
    public func verify(user: String, code: String, sourceAddress: String?) throws -> TOTPVerification {
        try check(user: user, code: code, sourceAddress: sourceAddress, column: "sealed_secret") { db, now, counter, _ in
            // liboath does not prevent replay: accept only a counter beyond the last accepted one,
            // in one conditional UPDATE so two concurrent uses of a code cannot both pass.
            try db.execute(
                sql: """
                    UPDATE auth_totp SET last_counter = ?, failed_count = 0
                    WHERE username = ? AND (last_counter IS NULL OR last_counter < ?)
                    """,
                arguments: [Int64(counter), user, Int64(counter)])
            guard db.changesCount == 1 else {
                try Self.audit(AuthAuditAction.mfaReplay, user: user, now: now, source: sourceAddress,
                               result: .failure, in: db)
                return .replayed
            }
            try Self.audit(AuthAuditAction.mfaVerified, user: user, now: now, source: sourceAddress, in: db)
            return .accepted(at: now)
        }
    }

    /// Removes the user's own enrolment after a fresh, valid code.
    public func remove(user: String, code: String, sourceAddress: String?) throws -> TOTPVerification {
        let outcome = try verify(user: user, code: code, sourceAddress: sourceAddress)
        guard case .accepted(let now) = outcome else { return outcome }
        try writer.writeAndWait { db in
            try db.execute(sql: "DELETE FROM auth_totp WHERE username = ?", arguments: [user])
            try UserProfiles.setMFAEnrolled(false, username: user, at: now, in: db)
            try Self.audit(AuthAuditAction.mfaRemoved, user: user, now: now, source: sourceAddress, in: db)
        }
        return outcome
    }

    /// A PIM Administrator resets `user`'s TOTP: enrolment, lock and replay state go, every
    /// session of the user ends, and the reset is audited with the admin as actor.
    public func adminReset(user: String, by admin: String, justification: String?, sourceAddress: String?) throws {
        let now = clock.now()
        try writer.writeAndWait { [sessions] db in
            try db.execute(sql: "DELETE FROM auth_totp WHERE username = ?", arguments: [user])
            try UserProfiles.setMFAEnrolled(false, username: user, at: now, in: db)
            let ended = try sessions.endAll(username: user, in: db)
            _ = try AuditLog.append(AuditEventDraft(
                time: now, actor: admin, action: AuthAuditAction.mfaReset, target: user,
                justification: justification, sourceAddress: sourceAddress,
                details: "sessions ended: \(ended)"), in: db)
            try Self.notifyUser(.mfaReset, user: user, now: now,
                                facts: ["actor": admin, "justification": justification ?? ""], in: db)
        }
        outboxChanged?()
    }

    /// The shared path of confirm and verify: parse, lock check, liboath validation, failure
    /// counting and lockout; `accept` runs for a valid code inside the same transaction.
    private func check(
        user: String, code: String, sourceAddress: String?, column: String,
        accept: @escaping @Sendable (Database, Date, UInt64, Data) throws -> TOTPVerification
    ) throws -> TOTPVerification {
        guard let parsed = TOTPCode(code) else { return .malformed }
        let now = clock.now()
        let outcome = try writer.writeAndWait { [self] db -> TOTPVerification in
            guard let row = try Self.row(user, in: db), let sealed = row[column] as Data? else { return .notEnrolled }
            if column == "pending_secret", let started = row.storedDate("pending_created_at"),
               now.timeIntervalSince(started) >= configuration.pendingLifetime {
                return .notEnrolled
            }
            if let locked = row.storedDate("locked_until"), locked > now { return .locked(until: locked) }
            var secret = try box.open(sealed, user: user)
            defer { for index in secret.indices { secret[index] = 0 } }
            if let counter = try OATH.validate(secret: secret, code: parsed, now: now, window: configuration.window) {
                return try accept(db, now, counter, sealed)
            }
            return try recordFailure(user: user, previous: row["failed_count"], now: now, source: sourceAddress, in: db)
        }
        // A new lock queued a mail; a wake for an old lock is harmless.
        if case .locked = outcome { outboxChanged?() }
        return outcome
    }

    private func recordFailure(user: String, previous: Int, now: Date, source: String?, in db: Database) throws -> TOTPVerification {
        let failures = previous + 1
        if failures >= configuration.maxFailures {
            let until = now.addingTimeInterval(configuration.lockDuration)
            try db.execute(sql: "UPDATE auth_totp SET failed_count = 0, locked_until = ? WHERE username = ?",
                           arguments: [until.storedValue, user])
            try Self.audit(AuthAuditAction.mfaLocked, user: user, now: now, source: source, result: .failure,
                           details: "\(failures) wrong codes; locked for \(Int(configuration.lockDuration / 60)) min", in: db)
            try Self.notifyUser(.mfaLocked, user: user, now: now,
                                facts: ["wrongCodes": "\(failures)", "lockMinutes": "\(Int(configuration.lockDuration / 60))"], in: db)
            return .locked(until: until)
        }
        try db.execute(sql: "UPDATE auth_totp SET failed_count = ? WHERE username = ?", arguments: [failures, user])
        try Self.audit(AuthAuditAction.mfaFailed, user: user, now: now, source: source, result: .failure,
                       details: "wrong code \(failures) of \(configuration.maxFailures)", in: db)
        return .wrongCode(remainingAttempts: configuration.maxFailures - failures)
    }

    /// The user's own security mail (issue 7), queued in the transaction of its audit event. The
    /// address is the profile's (sign-in stores it); no address, no mail. No codes or secrets.
    private static func notifyUser(_ kind: OutboxKind, user: String, now: Date, facts: [String: String], in db: Database) throws {
        guard let profile = try UserProfiles.fetch(user, in: db), let email = profile.email, !email.isEmpty else { return }
        var payload = facts
        payload["assignee"] = user
        payload["assigneeName"] = profile.displayName
        payload["link"] = "/security-info"
        try Outbox.enqueue([OutboxMessage(kind: kind, recipient: email, recipientName: profile.displayName.isEmpty ? nil : profile.displayName,
                                          critical: kind.isCritical, payload: payload)], at: now, in: db)
    }

    private static func row(_ user: String, in db: Database) throws -> Row? {
        try Row.fetchOne(db, sql: "SELECT * FROM auth_totp WHERE username = ?", arguments: [user])
    }

    private static func audit(_ action: String, user: String, now: Date, source: String?, result: AuditResult = .success,
                              details: String = "", in db: Database) throws {
        _ = try AuditLog.append(AuditEventDraft(
            time: now, actor: user, action: action, target: user, result: result,
            sourceAddress: source, details: details), in: db)
    }
}
