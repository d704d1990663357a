public import Foundation
import GRDB

/// Who is calling a use case: the signed-in user, where from, and when they last proved MFA
/// (PIMAuth verifies codes; PIMCore only receives the fact).
public struct ActorContext: Sendable, Equatable {
    public var username: String
    public var sourceAddress: String?
    public var mfaProvenAt: Date?
    /// The actor's directory groups as the caller looked them up for this same request (the
    /// portal does, to show the page); nil: the use case asks the directory. Saves the writer a
    /// directory lookup per use case.
    public var groups: [String]?

    public init(username: String, sourceAddress: String? = nil, mfaProvenAt: Date? = nil, groups: [String]? = nil) {
        self.username = username
        self.sourceAddress = sourceAddress
        self.mfaProvenAt = mfaProvenAt
        self.groups = groups
    }

    /// The actor of background work and command-line bootstrap.
    public static let system = ActorContext(username: "system")
}

/// The use cases of PIM. Each is one write transaction: decide → change → audit → outbox; after
/// commit, `outboxChanged` wakes the mail worker when mail was queued.
public struct PIMService: Sendable {
    public let store: PIMStore
    public let directory: any Directory
    public let outboxChanged: (@Sendable () -> Void)?
    /// Names and addresses for mail, kept `contactLifetime` (see `DirectoryContacts`).
    let contacts: DirectoryContacts

    /// `contactLifetime`: how long a user's directory name and address are reused for mail
    /// before the directory is asked again (a changed address reaches mail at most this late).
    public init(store: PIMStore, directory: any Directory, outboxChanged: (@Sendable () -> Void)? = nil,
                contactLifetime: Duration = .seconds(60)) {
        self.store = store
        self.directory = directory
        self.outboxChanged = outboxChanged
        self.contacts = DirectoryContacts(directory: directory, lifetime: contactLifetime)
    }

    /// Runs `body` as one write with `now` read once from the clock. The write shares its
    /// COMMIT with concurrent ones (group commit) but is all-or-nothing on its own (see `WriteCommitter`);
    /// it returns, and wakes the mail worker, only after that COMMIT. When `body` refuses (a
    /// `PIMError`), `attempt` is audited as a failure before the refusal reaches the caller; a
    /// refusal that cannot be audited becomes the audit write's error.
    func transact<T: Sendable>(
        _ actor: ActorContext, attempt: Attempt? = nil, _ body: @escaping @Sendable (WriteContext) throws -> T
    ) async throws -> T {
        let now = store.clock.now()
        let directory = self.directory, contacts = self.contacts, builtInRoleIDs = store.builtInRoleIDs
        let value: T, queued: Int
        do {
            (value, queued) = try await store.write { db in
                let context = WriteContext(db: db, now: now, actor: actor, directory: directory, contacts: contacts,
                                           builtInRoleIDs: builtInRoleIDs)
                let value = try body(context)
                return (value, context.queuedMail)
            }
        } catch let refusal as PIMError {
            if let attempt {
                _ = try await store.write { db in try AuditLog.append(attempt.refusalEvent(refusal, actor: actor, at: now, in: db), in: db) }
            }
            throw refusal
        }
        if queued > 0 { outboxChanged?() }
        return value
    }
}

/// The state of one use-case transaction: the database, the instant, the actor, and helpers
/// to audit and queue mail. Lives only inside the write closure.
final class WriteContext {
    let db: Database
    let now: Date
    let actor: ActorContext
    let directory: any Directory
    let contacts: DirectoryContacts
    let builtInRoleIDs: BuiltInRoleIDs
    private(set) var queuedMail = 0
    /// Answers asked several times per use case (see `WriteMemo`).
    var memo = WriteMemo()

    init(db: Database, now: Date, actor: ActorContext, directory: any Directory, contacts: DirectoryContacts,
         builtInRoleIDs: BuiltInRoleIDs) {
        self.db = db
        self.builtInRoleIDs = builtInRoleIDs
        self.now = now
        self.actor = actor
        self.directory = directory
        self.contacts = contacts
        if let groups = actor.groups { memo.groupsOfUser[actor.username] = groups }
    }

    @discardableResult
    func audit(
        _ action: AuditAction, role: Role?, target: String? = nil, request: Int64? = nil, assignment: Int64? = nil,
        justification: String? = nil, ticket: String? = nil, details: String = ""
    ) throws -> AuditEvent {
        try AuditLog.append(AuditEventDraft(
            time: now, actor: actor.username, action: action.rawValue, target: target, roleID: role?.id,
            roleName: role?.name, requestID: request, assignmentID: assignment, justification: justification,
            ticket: ticket, result: .success, sourceAddress: actor.sourceAddress, details: details), in: db)
    }

    func queue(_ messages: [OutboxMessage]) throws {
        guard !messages.isEmpty else { return }
        try Outbox.enqueue(messages, at: now, in: db, encoding: encodedPayload)
        queuedMail += messages.count
    }

    // MARK: Authorization

    func isAdministrator(_ username: String) throws -> Bool {
        guard let admin = try administratorRoleID() else { return false }
        let assignments = try Tables.activeAssignments(role: admin, at: now, db)
        return HoldingPolicy.holds(user: username, groups: groups(ofUser: username), assignments: assignments, at: now)
    }

    func requireAdministrator() throws {
        guard try isAdministrator(actor.username) else { throw PIMError.notAuthorized }
    }

    func role(_ id: Int64) throws -> Role {
        guard let role = try Tables.fetchRole(id, db) else { throw PIMError.roleNotFound }
        return role
    }

    func assignment(_ id: Int64) throws -> Assignment {
        guard let a = try Tables.fetchAssignment(id, db) else { throw PIMError.assignmentNotFound }
        return a
    }

    /// The user and their groups, as principals an assignment may name.
    func principals(of user: String) -> [PrincipalRef] {
        [.user(user)] + groups(ofUser: user).map(PrincipalRef.group)
    }
}
