import Foundation
import Testing
@testable import PIMCore

struct UserProfileTests {
    @Test func signInCreatesThenRefreshesTheProfile() async throws {
        let f = try await Fixture.make()
        let t = f.clock.now()
        try await f.store.pool.write { db in
            try UserProfiles.upsertOnSignIn(username: "alice", displayName: "Alice A", email: "alice@corp.example",
                                            mfaEnrolled: false, at: t, in: db)
            try UserProfiles.upsertOnSignIn(username: "alice", displayName: "Alice Anders", email: nil,
                                            mfaEnrolled: true, at: t + 60, in: db)
        }
        let profile = try #require(try await f.store.pool.read { try UserProfiles.fetch("alice", in: $0) })
        #expect(profile.displayName == "Alice Anders" && profile.email == "alice@corp.example", "a nil email keeps the stored one")
        #expect(profile.mfaEnrolled && profile.lastSignInAt == t + 60 && profile.createdAt == t)
    }

    @Test func activationRecordsTheLastActivationAndMailUsesTheProfileAddress() async throws {
        let f = try await Fixture.make()
        try await f.store.pool.write { db in
            try UserProfiles.upsertOnSignIn(username: "alice", displayName: "Alice", email: "a.anders@corp.example",
                                            mfaEnrolled: true, at: f.clock.now(), in: db)
        }
        let role = try await f.role()
        try await f.eligible(.user("alice"), role)
        _ = try await f.service.activate(roleIDs: [role.id], form: Fixture.form, by: f.user("alice"))
        #expect(try await f.store.pool.read { try UserProfiles.lastActivation(of: "alice", in: $0) } == f.clock.now())
        #expect(try await f.store.pool.read { try UserProfiles.lastActivation(of: "bob", in: $0) } == nil)
        #expect(try f.outbox().contains { $0.kind == "activatedNotification" && $0.recipient == "a.anders@corp.example" })
    }
}
