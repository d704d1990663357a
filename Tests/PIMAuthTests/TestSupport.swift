import Foundation
import GRDB
@testable import PIMAuth
import PIMCore
import Testing

/// True when scripts/test-auth-env.sh runs the tests under pam_wrapper and nss_wrapper.
enum Wrappers {
    static let active: Bool = {
        let env = ProcessInfo.processInfo.environment
        return env["PIM_AUTH_TEST_WRAPPERS"] == "1" && env["PAM_WRAPPER"] == "1"
            && (env["LD_PRELOAD"] ?? "").contains("libpam_wrapper")
    }()
    static let reason: Comment = "needs pam_wrapper/nss_wrapper: run scripts/test-auth-env.sh"
}

/// A fresh database file with PIMCore's and PIMAuth's migrations, a test clock and test keys.
struct AuthFixture {
    let directory: URL
    /// Removes `directory` when the last copy of the fixture goes (the test's end).
    let cleanup: TemporaryFolder
    let store: PIMStore
    let clock: TestClock
    let keys: AuthKeys
    let sessions: SessionStore
    let totp: TOTPService

    init(start: Date = Date(timeIntervalSince1970: 1_800_000_000), sessionConfiguration: SessionConfiguration = SessionConfiguration()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pim-auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        cleanup = TemporaryFolder(directory)
        clock = TestClock(start)
        store = try PIMStore.open(path: directory.appendingPathComponent("pim.sqlite").path,
                                  extraMigrations: AuthSchema.migrations, clock: clock)
        keys = AuthKeys.forTesting()
        sessions = SessionStore(writer: store.committer, clock: clock, configuration: sessionConfiguration)
        totp = TOTPService(writer: store.committer, clock: clock, keys: keys, sessions: sessions)
    }

    /// Audit actions and results in order, for asserting what was recorded.
    func auditTrail() throws -> [(action: String, actor: String, result: String, details: String)] {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT action, actor, result, details FROM audit_event ORDER BY seq").map {
                (action: $0["action"], actor: $0["actor"], result: $0["result"], details: $0["details"])
            }
        }
    }

    func profile(_ user: String) throws -> UserProfile? {
        try store.pool.read { try UserProfiles.fetch(user, in: $0) }
    }

    func auditText() throws -> String {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_event").map { $0.description }.joined(separator: "\n")
        }
    }
}

/// A test's own directory under the system's temporary one, removed with the last reference.
final class TemporaryFolder: Sendable {
    let url: URL
    init(_ url: URL) { self.url = url }
    deinit { try? FileManager.default.removeItem(at: url) }
}
