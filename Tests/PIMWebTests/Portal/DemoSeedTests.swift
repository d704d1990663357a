import Foundation
import PIMCore
import Testing
@testable import PIMWeb

struct DemoSeedTests {
    @Test func demoSeedGivesEveryTasksPageSomethingToShowAndRunsOnce() async throws {
        let portal = try TestPortal(users: [DirectoryUser(name: "carol", displayName: "Carol Chen")])
        portal.directory.setGroup(DirectoryGroup(name: "dba", members: ["alice", "carol"]))
        let environment = portal.environment
        #expect(try await DemoSeed.seedIfEmpty(environment.service, queries: environment.queries))
        #expect(try await !DemoSeed.seedIfEmpty(environment.service, queries: environment.queries))

        var alice = try portal.signIn("alice")
        let eligible = await alice.get("/my-roles")
        for role in ["Global Administrator", "Database Administrator", "Web Operator"] {
            #expect(eligible.bodyText.contains(role))
        }
        #expect(eligible.bodyText.contains("Group: dba"))
        var carol = try portal.signIn("carol")
        #expect(await carol.get("/my-roles?tab=active").bodyText.contains("Web Operator"))
        #expect(await carol.get("/").bodyText.contains("You can read roles, settings and the audit log."))
        var admin = try portal.signIn("admin")
        let approvals = await admin.get("/approvals")
        #expect(approvals.bodyText.contains("Restore the wiki database"))
        #expect(approvals.bodyText.contains("Jira OPS-1042"))
        var bob = try portal.signIn("bob")
        #expect(await bob.get("/my-requests").bodyText.contains("Pending approval"))
    }
}
