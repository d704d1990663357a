import Foundation
import Synchronization
import Testing
@testable import PIMCore

/// Mail contacts are reused for their lifetime and asked again after it; the cache stays bounded.
struct DirectoryContactsTests {
    /// Counts the lookups a directory answers.
    final class CountingDirectory: Directory {
        let inner: InMemoryDirectory
        private let count = Mutex(0)
        var lookups: Int { count.withLock { $0 } }
        init(_ inner: InMemoryDirectory) { self.inner = inner }
        func user(named name: String) -> DirectoryUser? {
            count.withLock { $0 += 1 }
            return inner.user(named: name)
        }
        func group(named name: String) -> DirectoryGroup? { inner.group(named: name) }
        func groups(ofUser user: String) -> [String] { inner.groups(ofUser: user) }
        func search(prefix: String, limit: Int) -> [PrincipalRef] { inner.search(prefix: prefix, limit: limit) }
    }

    @Test func anEntryIsReusedForItsLifetimeThenAskedAgain() async throws {
        let memory = InMemoryDirectory(users: [DirectoryUser(name: "ada", displayName: "Ada", email: "ada@example.org")])
        let directory = CountingDirectory(memory)
        let contacts = DirectoryContacts(directory: directory, lifetime: .seconds(1))
        #expect(contacts.user(named: "ada")?.email == "ada@example.org")
        memory.addUser(DirectoryUser(name: "ada", displayName: "Ada", email: "ada@new.example.org"))
        #expect(contacts.user(named: "ada")?.email == "ada@example.org")
        // An unknown user is remembered as unknown too.
        #expect(contacts.user(named: "nobody") == nil && contacts.user(named: "nobody") == nil)
        #expect(directory.lookups == 2)
        try await Task.sleep(for: .milliseconds(1100))
        #expect(contacts.user(named: "ada")?.email == "ada@new.example.org")
        #expect(directory.lookups == 3)
    }

    @Test func theCacheStaysBounded() {
        let directory = CountingDirectory(InMemoryDirectory())
        let contacts = DirectoryContacts(directory: directory, lifetime: .seconds(60))
        for n in 0..<(DirectoryContacts.capacity * 2 + 10) { _ = contacts.user(named: "user\(n)") }
        // Every name was asked once; the first ones were dropped when the cache started over.
        #expect(directory.lookups == DirectoryContacts.capacity * 2 + 10)
        _ = contacts.user(named: "user0")
        #expect(directory.lookups == DirectoryContacts.capacity * 2 + 11)
    }

    /// The mails of a use case reuse what an earlier one looked up, within the lifetime.
    @Test func mailsOfSeveralActivationsAskTheDirectoryOncePerRecipient() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        let plain = try await f.role("Plain")
        try await f.eligible(.user("alice"), role)
        try await f.eligible(.user("alice"), plain)
        let counting = CountingDirectory(f.directory)
        let service = PIMService(store: f.store, directory: counting)
        _ = try await service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice"))
        let afterFirst = counting.lookups
        #expect(afterFirst > 0)  // recipients without a full profile were looked up
        _ = try await service.activate(roleIDs: [plain.id], form: Fixture.form, by: f.user("alice"))
        #expect(counting.lookups == afterFirst)
        let mails = try await f.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox") ?? 0 }
        #expect(mails > 0)
    }
}
