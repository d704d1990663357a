public import Foundation
import GRDB
public import PIMCore
import Logging
import Synchronization

/// The answer to a sign-in form. Messages are for the page; none says whether a user exists.
public enum SignInResult: Sendable, Equatable {
    case signedIn(SessionID, user: String, messages: [PAMMessage])
    case failed
    case throttled(until: Date)
    /// The password was right but the account may not sign in.
    case refused(AccountProblem, messages: [PAMMessage])
    /// PAM or the database failed: the operator must look at the log.
    case unavailable

    /// The one sentence the sign-in page shows (nil on success).
    public func message(now: Date) -> String? {
        switch self {
        case .signedIn: nil
        case .failed: SignInService.genericFailure
        case .throttled(let until): SignInThrottle.Decision.throttled(until: until).message(now: now)
        case .refused(let problem, _): problem.message
        case .unavailable: "Sign-in is unavailable at the moment. Please try again later."
        }
    }
}

/// Sign-in and sign-out: throttle → PAM → profile, session and audit event in one transaction.
public final class SignInService: Sendable {
    public static let genericFailure = "The user name or password is not right."

    private let authenticator: PAMAuthenticator
    private let directory: any Directory
    /// The store's group commit (see `WriteCommitter`).
    private let writer: WriteCommitter
    private let sessions: SessionStore
    private let clock: any PIMClock
    private let throttle: Mutex<SignInThrottle>
    /// Every failed attempt takes at least this long, so unknown users and wrong passwords (and
    /// PAM stacks with and without failure delays) answer alike. Waiting uses no thread.
    private let minimumFailureDuration: Duration
    /// Wakes the mail worker after a lockout mail was queued.
    private let outboxChanged: (@Sendable () -> Void)?
    /// Operator-facing problems only (PAM or database failures); never passwords or session ids.
    private let logger = Logger(label: "pim.auth.sign-in")

    public init(authenticator: PAMAuthenticator, directory: any Directory, writer: WriteCommitter,
                sessions: SessionStore, clock: any PIMClock, throttlePolicy: ThrottlePolicy = ThrottlePolicy(),
                minimumFailureDuration: Duration = .seconds(1), outboxChanged: (@Sendable () -> Void)? = nil) {
        self.outboxChanged = outboxChanged
        self.authenticator = authenticator
        self.directory = directory
        self.writer = writer
        self.sessions = sessions
        self.clock = clock
        var throttle = SignInThrottle(policy: throttlePolicy)
        do {
            try Self.replayRecentSignIns(into: &throttle, from: writer.pool, now: clock.now())
        } catch {
            logger.error("could not restore the sign-in throttle from the audit log", metadata: ["error": "\(error)"])
        }
        self.throttle = Mutex(throttle)
        self.minimumFailureDuration = minimumFailureDuration
    }

    /// The throttle as the last window of sign-ins left it, replayed from their audit events:
    /// a restart must not give an attacker fresh attempts. Only what the live throttle counts is
    /// replayed: wrong credentials (failures) and sign-ins (successes), in order.
    static func replayRecentSignIns(into throttle: inout SignInThrottle, from reader: some DatabaseReader, now: Date) throws {
        let window = AuditLog.since(now.addingTimeInterval(-throttle.policy.window))
        let events = try reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT time, target, source_address, result, details FROM audit_event
                WHERE action = ? AND \(window.sql) ORDER BY seq
                """, arguments: [AuthAuditAction.signIn] + window.arguments)
        }
        for event in events {
            guard let account = event["target"] as String?, let time = event.storedDate("time") else { continue }
            switch (event["result"] as String, event["details"] as String) {
            case ("success", _): throttle.recordSuccess(account: account, now: time)
            case ("failure", "bad credentials"): throttle.recordFailure(account: account, address: event["source_address"], now: time)
            default: continue
            }
        }
    }

    /// Signs in from the form. `replacing` is the browser's current session, if any: it ends in
    /// the same transaction as the new one starts (no session fixation, always a new id).
    public func signIn(username: String, password: String, remoteAddress: String?, replacing previous: SessionID? = nil) async -> SignInResult {
        let started = ContinuousClock.now
        let result = await attempt(username: username, password: password, remoteAddress: remoteAddress, previous: previous)
        if case .signedIn = result { return result }
        let remaining = minimumFailureDuration - (ContinuousClock.now - started)
        if remaining > .zero { try? await Task.sleep(for: remaining) }
        return result
    }

    /// Ends the session on the server (audited).
    public func signOut(_ session: Session, remoteAddress: String?) async throws {
        let now = clock.now()
        try await writer.write { [sessions] db in
            try sessions.end(session.id, in: db)
            _ = try AuditLog.append(AuditEventDraft(
                time: now, actor: session.username, action: AuthAuditAction.signOut, target: session.username,
                sourceAddress: remoteAddress), in: db)
        }
    }

    /// Ends every session of `user` (an administrator's action, or the user's "sign out everywhere").
    @discardableResult
    public func endAllSessions(of user: String, by actor: String, justification: String?, remoteAddress: String?) throws -> Int {
        let now = clock.now()
        return try writer.writeAndWait { [sessions] db in
            let ended = try sessions.endAll(username: user, in: db)
            _ = try AuditLog.append(AuditEventDraft(
                time: now, actor: actor, action: AuthAuditAction.sessionsEnded, target: user,
                justification: justification, sourceAddress: remoteAddress, details: "sessions ended: \(ended)"), in: db)
            return ended
        }
    }

    private func attempt(username: String, password: String, remoteAddress: String?, previous: SessionID?) async -> SignInResult {
        let typed = username.trimmingCharacters(in: .whitespaces)
        let now = clock.now()
        if case .throttled(let until) = throttle.withLock({ $0.check(account: typed, address: remoteAddress, now: now) }) {
            await auditFailure(typed, remoteAddress, details: "throttled")
            return .throttled(until: until)
        }
        switch await authenticator.authenticate(username: typed, password: password, remoteHost: remoteAddress) {
        case .authenticated(let user, let messages):
            throttle.withLock { $0.recordSuccess(account: typed, now: clock.now()) }
            do {
                let id = try await startSession(user: user, remoteAddress: remoteAddress, previous: previous)
                return .signedIn(id, user: user, messages: messages)
            } catch {
                logger.error("sign-in succeeded in PAM but the session could not be stored", metadata: ["error": "\(error)"])
                return .unavailable
            }
        case .badCredentials:
            let lockedUntil = throttle.withLock { $0.recordFailure(account: typed, address: remoteAddress, now: clock.now()) }
            let failures = throttle.withLock { $0.consecutiveFailures(account: typed) }
            await auditFailure(typed, remoteAddress, details: "bad credentials") { db, now in
                guard let lockedUntil else { return false }
                return try SignInLockMail.enqueue(typed: typed, failures: failures, until: lockedUntil, now: now, in: db)
            }
            return .failed
        case .refused(let problem, let messages):
            await auditFailure(typed, remoteAddress, details: "account refused: \(problem)")
            return .refused(problem, messages: messages)
        case .unavailable(let error):
            logger.error("PAM is unavailable", metadata: ["service": "\(authenticator.configuration.serviceName)", "error": "\(error)"])
            await auditFailure(typed, remoteAddress, details: "PAM error: \(error)")
            return .unavailable
        }
    }

    private func startSession(user: String, remoteAddress: String?, previous: SessionID?) async throws -> SessionID {
        let entry = directory.user(named: user)
        let now = clock.now()
        return try await writer.write { [sessions] db in
            if let previous { try sessions.end(previous, in: db) }
            let enrolled = try Bool.fetchOne(
                db, sql: "SELECT sealed_secret IS NOT NULL FROM auth_totp WHERE username = ?", arguments: [user]) ?? false
            // The pattern only fills in a missing address: one an administrator set stays.
            let known = try UserProfiles.fetch(user, in: db)?.email
            try UserProfiles.upsertOnSignIn(
                username: user, displayName: entry?.displayName ?? user, email: known == nil ? entry?.email : nil,
                mfaEnrolled: enrolled, at: now, in: db)
            let id = try sessions.create(username: user, remoteAddress: remoteAddress, in: db)
            _ = try AuditLog.append(AuditEventDraft(
                time: now, actor: user, action: AuthAuditAction.signIn, target: user, sourceAddress: remoteAddress), in: db)
            return id
        }
    }

    /// Failed attempts are audited under the name as typed, cleaned and cut short (it is
    /// attacker-controlled); the password never is.
    /// `alsoInTransaction` runs in the audit event's transaction (the lockout mail); it says
    /// whether it queued mail, so the outbox is woken only then.
    private func auditFailure(_ typed: String, _ remoteAddress: String?, details: String,
                              alsoInTransaction: (@Sendable (Database, Date) throws -> Bool)? = nil) async {
        let actor = String(String.UnicodeScalarView(typed.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }).prefix(64))
        let now = clock.now()
        do {
            let queued = try await writer.write { db -> Bool in
                _ = try AuditLog.append(AuditEventDraft(
                    time: now, actor: actor.isEmpty ? "(empty)" : actor, action: AuthAuditAction.signIn, target: actor,
                    result: .failure, sourceAddress: remoteAddress, details: details), in: db)
                return try alsoInTransaction?(db, now) ?? false
            }
            if queued { outboxChanged?() }
        } catch {
            logger.error("could not audit a failed sign-in", metadata: ["error": "\(error)"])
        }
    }
}
