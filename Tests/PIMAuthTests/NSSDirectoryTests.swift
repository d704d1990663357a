import Foundation
@testable import PIMAuth
import PIMCore
import Testing

/// NSS through the real libc with nss_wrapper (files written by scripts/test-auth-env.sh).
@Suite(.enabled(if: Wrappers.active, Wrappers.reason))
struct NSSDirectoryTests {
    let directory = NSSDirectory(configuration: NSSDirectoryConfiguration(emailPattern: "{user}@example.org"))

    @Test func usersHaveGECOSDisplayNamesAndPatternEmail() {
        #expect(directory.user(named: "alice") == DirectoryUser(name: "alice", displayName: "Alice Andersen", email: "alice@example.org"))
        #expect(directory.user(named: "bob")?.displayName == "Bob Baker")
        #expect(directory.user(named: "carol")?.displayName == "Carol Chen")
        #expect(directory.user(named: "erin")?.displayName == "erin")
        #expect(directory.user(named: "nobody-here") == nil)
        #expect(NSSDirectory(configuration: NSSDirectoryConfiguration(emailPattern: nil)).user(named: "alice")?.email == nil)
    }

    @Test func groupsHaveMembers() {
        #expect(directory.group(named: "dba") == DirectoryGroup(name: "dba", members: ["alice", "carol"]))
        #expect(directory.group(named: "secops")?.members == ["bob"])
        #expect(directory.group(named: "staff")?.members == [])
        #expect(directory.group(named: "no-such-group") == nil)
    }

    @Test func groupsOfAUserIncludePrimaryAndSupplementary() {
        #expect(directory.groups(ofUser: "alice") == ["dba", "staff"])
        #expect(directory.groups(ofUser: "bob") == ["secops", "staff"])
        #expect(directory.groups(ofUser: "nobody-here") == [])
    }

    /// Requests look groups up on several threads at once; every answer must be whole (a shared
    /// getgrouplist cursor in nss_wrapper made some miss a group, refusing eligible users).
    @Test func concurrentGroupLookupsAreWhole() async {
        let directory = self.directory
        let wrong = await withTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask {
                    await Task.detached {
                        (0..<400).filter { _ in
                            index % 2 == 0
                                ? directory.groups(ofUser: "alice") != ["dba", "staff"]
                                : directory.groups(ofUser: "bob") != ["secops", "staff"]
                        }.count
                    }.value
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }

    @Test func searchByPrefixFindsUsersAndGroupsButNotSystemAccounts() {
        #expect(directory.search(prefix: "db", limit: 10) == [.group("dba"), .group("dbadmins")])
        #expect(directory.search(prefix: "A", limit: 10) == [.user("alice")])
        #expect(directory.search(prefix: "daemon", limit: 10) == [])
        #expect(directory.search(prefix: "", limit: 3).count == 3)
        #expect(directory.search(prefix: "", limit: 0) == [])
    }

    @Test func hostileNamesFindNothing() {
        for name in ["", "alice\0", "al\nice", String(repeating: "a", count: 10_000), "../../etc/passwd", "*"] {
            #expect(directory.user(named: name) == nil)
            #expect(directory.group(named: name) == nil)
            #expect(directory.groups(ofUser: name) == [])
        }
    }

    @Test func concurrentLookupsAndSearchesAgree() async {
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<16 {
                group.addTask { directory.search(prefix: "", limit: 100).count == directory.search(prefix: "", limit: 100).count }
                group.addTask { directory.user(named: "alice")?.displayName == "Alice Andersen" }
            }
            var all: [Bool] = []
            for await ok in group { all.append(ok) }
            return all
        }
        #expect(results.allSatisfy { $0 })
    }
}

struct NSSDirectoryPureTests {
    @Test func emailPatternSubstitutesTheUser() {
        #expect(NSSDirectoryConfiguration(emailPattern: "{user}@corp.example").email(for: "bob") == "bob@corp.example")
        #expect(NSSDirectoryConfiguration(emailPattern: "mail.{user}+{user}@corp.example").email(for: "bob") == "mail.bob+bob@corp.example")
        #expect(NSSDirectoryConfiguration(emailPattern: "pim-team@corp.example").email(for: "bob") == "pim-team@corp.example")
        #expect(NSSDirectoryConfiguration(emailPattern: "{user}").email(for: "zoë") == "zoë")
        #expect(NSSDirectoryConfiguration(emailPattern: "{usr}{user@x").email(for: "bob") == "{usr}{user@x")
    }

    @Test func displayNameIsTheFirstGECOSField() {
        let entry = NSSLookup.Passwd(name: "x", uid: 1, gid: 1, gecos: "Full Name,Room,Phone")
        #expect(entry.displayName == "Full Name")
        #expect(NSSLookup.Passwd(name: "x", uid: 1, gid: 1, gecos: ",,,").displayName == "x")
    }
}
