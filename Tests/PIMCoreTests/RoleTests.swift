import Foundation
import Testing
@testable import PIMCore

struct RoleTests {
    @Test func builtInRolesAreSeededByMigration() async throws {
        let f = try await Fixture.make(bootstrap: false)
        let roles = try await f.queries.roles()
        #expect(roles.map(\.name).prefix(2).sorted() == ["PIM Administrator", "Security Reader"])
        #expect(Set(roles.compactMap(\.builtIn)) == [.pimAdministrator, .securityReader])
    }

    @Test func customRolesAreCreatedRenamedAndDeletedWithAudit() async throws {
        let f = try await Fixture.make()
        let role = try await f.role("Linux sudo on web-*")
        let renamed = try await f.service.updateRole(id: role.id, name: "Linux sudo", description: "web hosts", by: f.admin)
        #expect(renamed.name == "Linux sudo")
        try await f.service.deleteRole(id: role.id, by: f.admin)
        #expect(try await f.queries.role(id: role.id) == nil)
        #expect(try f.auditActions().suffix(3) == ["roleCreated", "roleUpdated", "roleDeleted"])
        #expect(try f.verify() == .intact(events: 4))
    }

    @Test func roleNamesAreUniqueIgnoringCase() async throws {
        let f = try await Fixture.make()
        _ = try await f.role("DBA")
        let error = await refusal { _ = try await f.role("dba") }
        #expect(error == .roleNameTaken("dba"))
        #expect(error?.message == "A role named “dba” already exists.")
        #expect(await refusal { _ = try await f.role("   ") } == .roleNameEmpty)
    }

    @Test func builtInRolesCannotBeRenamedOrDeleted() async throws {
        let f = try await Fixture.make()
        let admin = try #require(try await f.queries.roles().first { $0.builtIn == .pimAdministrator })
        #expect(await refusal { _ = try await f.service.updateRole(id: admin.id, name: "Gods", description: "", by: f.admin) }
                == .builtInRoleCannotChange("PIM Administrator"))
        #expect(await refusal { try await f.service.deleteRole(id: admin.id, by: f.admin) }
                == .builtInRoleCannotChange("PIM Administrator"))
    }

    @Test func aRoleWithRunningAssignmentsCannotBeDeleted() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        try await f.eligible(.user("alice"), role)
        let error = await refusal { try await f.service.deleteRole(id: role.id, by: f.admin) }
        #expect(error?.message == "“Database Administrator” still has assignments; remove them first.")
    }

    @Test func onlyPIMAdministratorsManageRoles() async throws {
        let f = try await Fixture.make()
        let error = await refusal { _ = try await f.service.createRole(name: "X", by: f.user("alice")) }
        #expect(error == .notAuthorized)
        #expect(error?.message == "Only PIM Administrators can do this.")
        #expect(try f.count("SELECT count(*) FROM role") == 2)
    }

    @Test func settingsUpdatesAreValidatedAndAudited() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        var settings = role.settings
        settings.activation.maximumDurationMinutes = 60
        let updated = try await f.service.updateSettings(roleID: role.id, settings: settings, by: f.admin)
        #expect(updated.settings.activation.maximumDurationMinutes == 60)
        settings.activation.approvalTimeoutHours = 100
        let error = await refusal { _ = try await f.service.updateSettings(roleID: role.id, settings: settings, by: f.admin) }
        #expect(error == .invalidSettings(.approvalTimeoutOutOfRange))
        #expect(error?.message == "Approval timeout must be between 1 and 72 hours.")
        #expect(try f.auditActions().last == "roleSettingsUpdated")
    }

    @Test func bootstrapHappensOnceAndNeedsAKnownUser() async throws {
        let f = try await Fixture.make(bootstrap: false)
        #expect(await refusal { _ = try await f.service.bootstrap(admin: "nobody") } == .unknownPrincipal("nobody"))
        let first = try await f.service.bootstrap(admin: "root")
        #expect(first.isPermanent && first.type == .active)
        #expect(await refusal { _ = try await f.service.bootstrap(admin: "alice") } == .alreadyBootstrapped)
        #expect(try await f.queries.builtInRoles(of: "root") == [.pimAdministrator])
        #expect(try f.auditActions() == ["administratorBootstrapped"])
        #expect(try f.auditActions(result: .failure) == ["administratorBootstrapped", "administratorBootstrapped"])
    }
}
