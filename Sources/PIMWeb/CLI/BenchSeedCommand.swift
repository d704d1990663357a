import ArgumentParser
import Foundation
import PIMCore

/// `pim dev bench-seed`: the data of Benchmarks/portal.sh, made through PIMCore's use cases
/// (audited like any change) on a fresh database.
///
/// - a viewer with `--viewer-roles` eligible roles whose names and descriptions need escaping
///   (`< & " '`), for GET /my-roles;
/// - `--pool-roles` roles eligible to the group `--group` (the activators), for the Activate
///   POST: each (activator, pool role) pair can be activated once, so a run of up to
///   activators × pool roles POSTs makes a real activation (request, assignment, audit, outbox)
///   each time.
///
/// Every role needs neither MFA nor approval, and sends activation alerts to an extra address so
/// that each activation queues outbox rows. Prints `BENCH_POOL_ROLE_IDS=1,2,…` on stdout.
struct DevBenchSeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-seed", abstract: "Seed the data of Benchmarks/portal.sh.", shouldDisplay: false)

    @OptionGroup var options: CommonOptions
    @Option(help: "PIM Administrator (bootstrapped), who makes the roles and assignments.") var admin = "admin"
    @Option(help: "User whose My roles page is loaded.") var viewer = "benchviewer"
    @Option var viewerRoles = 25
    @Option(help: "Group the activators belong to (pool roles are eligible to it).") var group = "benchers"
    @Option(help: "Members of --group, comma-separated.") var activators = "bench01"
    @Option var poolRoles = 1000

    func run() async throws {
        let store = try options.openStore()
        let members = activators.split(separator: ",").map(String.init)
        let users = ([admin, viewer] + members).map { DirectoryUser(name: $0, displayName: $0) }
        let directory = InMemoryDirectory(users: users, groups: [DirectoryGroup(name: group, members: members)])
        let service = PIMService(store: store, directory: directory)
        _ = try await service.bootstrap(admin: admin)
        let by = ActorContext(username: admin, sourceAddress: "127.0.0.1")

        var settings = RoleSettings.defaults
        settings.activation.requireMFA = false
        settings.activation.requireApproval = false
        settings.notification.activation.admins.additionalRecipients = ["pim-alerts@example.org"]

        for n in 1...max(1, viewerRoles) {
            let number = String(format: "%02d", n)
            let role = try await service.createRole(
                name: "Ops <\(number)> & \"blue\" pool's 'db'",
                description: "Restart <web-\(number)> & rotate \"blue\" keys; the on-call's 'break-glass' role.",
                settings: settings, by: by)
            _ = try await service.assign(roleID: role.id, members: [.user(viewer)], type: .eligible,
                                         justification: "Benchmark <viewer> & \"rota\"", by: by)
        }
        var poolIDs: [Int64] = []
        for n in 0..<poolRoles {
            let role = try await service.createRole(
                name: String(format: "Pool %05d <&\"'>", n), description: "Activation benchmark pool & \"friends\".",
                settings: settings, by: by)
            _ = try await service.assign(roleID: role.id, members: [.group(group)], type: .eligible,
                                         justification: "Benchmark pool", by: by)
            poolIDs.append(role.id)
        }
        print("BENCH_POOL_ROLE_IDS=" + poolIDs.map(String.init).joined(separator: ","))
    }
}
