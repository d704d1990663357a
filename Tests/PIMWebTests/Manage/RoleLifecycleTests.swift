import Foundation
import PIMCore
import Testing
@testable import PIMWeb

struct RoleLifecycleTests {
    @Test func administratorCreatesAndDeletesACustomRole() async throws {
        let portal = try await TestPortal.make()
        var admin = try portal.signIn(.admin)
        #expect(await admin.get("/roles/new").status == .ok)
        let created = try await admin.post("/roles", [("name", "Linux sudo on web-*"), ("description", "root on web hosts")])
        #expect(created.status == .seeOther)
        let location = try #require(created.location)
        let page = await admin.get(location)
        #expect(page.bodyText.contains("Role Linux sudo on web-* created with the default settings."))
        let deleted = try await admin.post(location + "/delete")
        #expect(deleted.status == .seeOther)
        #expect(deleted.location == "/roles")
        let list = await admin.get("/roles")
        #expect(list.bodyText.contains("Role Linux sudo on web-* deleted."))
        #expect(!list.bodyText.contains("href=\"\(location)\""))
    }

    @Test func emptyOrTakenNamesAreShownAtTheNameField() async throws {
        let portal = try await TestPortal.make()
        var admin = try portal.signIn(.admin)
        let empty = try await admin.post("/roles", [("name", "  "), ("description", "kept")])
        #expect(empty.status == .unprocessableContent)
        #expect(empty.bodyText.contains("id=\"name-error\">A role needs a name.</p>"))
        #expect(empty.bodyText.contains(">kept</textarea>"))
        let taken = try await admin.post("/roles", [("name", "security reader")])
        #expect(taken.bodyText.contains("already exists"))
    }

    @Test func builtInRolesCannotBeDeleted() async throws {
        let portal = try await TestPortal.make()
        let id = try await portal.roleID(builtIn: .securityReader)
        var admin = try portal.signIn(.admin)
        let page = await admin.get("/roles/\(id)")
        #expect(!page.bodyText.contains("Delete role"))
        let response = try await admin.post("/roles/\(id)/delete")
        #expect(response.status == .seeOther)
        let after = await admin.get("/roles/\(id)")
        #expect(after.bodyText.contains("is built in and cannot be renamed or deleted."))
    }

    @Test func roleWithAssignmentsIsNotDeleted() async throws {
        let portal = try await TestPortal.make()
        let role = try await portal.customRole("Busy role")
        try await portal.assign(role, [.user("alice")])
        var admin = try portal.signIn(.admin)
        _ = try await admin.post("/roles/\(role.id)/delete")
        #expect(await admin.get("/roles/\(role.id)").bodyText.contains("still has assignments; remove them first."))
    }
}
