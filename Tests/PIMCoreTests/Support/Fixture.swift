import Foundation
import GRDB
import PIMCore
import Synchronization

/// A real store in a fresh temporary directory, a test clock, an in-memory directory and a
/// bootstrapped PIM Administrator (`root`).
struct Fixture {
    let folder: URL
    /// Removes `folder` when the last copy of the fixture goes (the test's end).
    let cleanup: TemporaryFolder
    let clock: TestClock
    let directory: InMemoryDirectory
    let store: PIMStore
    let service: PIMService
    let queries: PIMQueries
    let hookCalls: Counter

    static let users = ["root", "alice", "bob", "carol", "dave", "erin", "frank"]

    final class Counter: Sendable {
        private let value = Mutex(0)
        func increment() { value.withLock { $0 += 1 } }
        var count: Int { value.withLock { $0 } }
    }

    static func make(bootstrap: Bool = true) async throws -> Fixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pimcore-\(UUID().uuidString)")
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let directory = InMemoryDirectory(
            users: users.map { DirectoryUser(name: $0, displayName: $0.capitalized, email: "\($0)@example.org") },
            groups: [DirectoryGroup(name: "ops", members: ["alice", "bob"]),
                     DirectoryGroup(name: "approvers", members: ["carol", "dave"])])
        let store = try PIMStore.open(path: folder.appendingPathComponent("pim.sqlite").path, clock: clock)
        let counter = Counter()
        let service = PIMService(store: store, directory: directory, outboxChanged: { counter.increment() })
        let fixture = Fixture(folder: folder, cleanup: TemporaryFolder(folder), clock: clock, directory: directory, store: store, service: service,
                              queries: PIMQueries(store: store, directory: directory), hookCalls: counter)
        if bootstrap { _ = try await service.bootstrap(admin: "root") }
        return fixture
    }

    /// The administrator, with a fresh MFA proof.
    var admin: ActorContext { ActorContext(username: "root", sourceAddress: "192.0.2.1", mfaProvenAt: clock.now()) }

    /// A user with (by default) an MFA proof made now.
    func user(_ name: String, mfa: Bool = true) -> ActorContext {
        ActorContext(username: name, sourceAddress: "192.0.2.9", mfaProvenAt: mfa ? clock.now() : nil)
    }

    func role(_ name: String = "Database Administrator", _ configure: (inout RoleSettings) -> Void = { _ in }) async throws -> Role {
        var settings = RoleSettings()
        configure(&settings)
        return try await service.createRole(name: name, settings: settings, by: admin)
    }

    @discardableResult
    func eligible(_ member: PrincipalRef, _ role: Role, end: Date? = nil) async throws -> Assignment {
        try await service.assign(roleID: role.id, members: [member], type: .eligible, end: end,
                                 justification: "needs it", by: admin)[0]
    }

    static let form = ActivationForm(durationMinutes: 60, justification: "INC-42 fix the database")

    func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try store.pool.read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
    }

    func verify() throws -> AuditVerification { try queries.verifyAudit() }

    /// The actions audited, in order: the changes made (`success`), or the refused attempts.
    func auditActions(result: AuditResult = .success) throws -> [String] {
        try store.pool.read {
            try String.fetchAll($0, sql: "SELECT action FROM audit_event WHERE result = ? ORDER BY seq", arguments: [result.rawValue])
        }
    }

    func outbox() throws -> [(kind: String, recipient: String, critical: Bool)] {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, recipient, critical FROM outbox ORDER BY id").map {
                (kind: $0["kind"], recipient: $0["recipient"], critical: $0["critical"])
            }
        }
    }
}

/// Runs `body` expecting a `PIMError`, and returns it.
func refusal(_ body: () async throws -> Void) async -> PIMError? {
    do {
        try await body()
        return nil
    } catch let error as PIMError {
        return error
    } catch {
        return nil
    }
}

/// A test's own directory under the system's temporary one, removed with the last reference:
/// a full test run used to leave thousands of them behind.
final class TemporaryFolder: Sendable {
    let url: URL
    init(_ url: URL) { self.url = url }
    deinit { try? FileManager.default.removeItem(at: url) }
}
