import ArgumentParser
import Foundation
import PIMCore

/// `pim dev bench-core`: PIMCore's share of the portal benchmark without HTTP, on a database
/// made by `pim dev bench-seed`: N activations (one pool role each, as the first activator) and
/// N My roles reads (the page's two queries: built-in roles and My roles). Prints CPU µs per
/// operation. Under `valgrind --tool=callgrind`, two runs with different N give instructions
/// per operation as (Ir₂ − Ir₁) / (N₂ − N₁), whatever the load of the host.
struct DevBenchCoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-core", abstract: "Time PIMCore's activation and My roles reads.", shouldDisplay: false)

    @OptionGroup var options: CommonOptions
    @Option var activations = 100
    @Option var myRoles = 100
    @Option var admin = "admin"
    @Option var viewer = "benchviewer"
    @Option var group = "benchers"
    @Option(help: "Members of --group, comma-separated; the first one activates.") var activators = "bench01"

    func run() async throws {
        let store = try options.openStore()
        let members = activators.split(separator: ",").map(String.init)
        // With addresses, as NSS gives them, so that each activation queues its mails.
        let users = ([admin, viewer] + members).map {
            DirectoryUser(name: $0, displayName: "Bench \($0)", email: "\($0)@example.org")
        }
        let directory = InMemoryDirectory(users: users, groups: [DirectoryGroup(name: group, members: members)])
        let service = PIMService(store: store, directory: directory)
        let queries = PIMQueries(store: store, directory: directory)
        let activator = ActorContext(username: members.first ?? "bench01", sourceAddress: "127.0.0.1")
        let pool = try await store.pool.read {
            try Int64.fetchAll($0, sql: "SELECT id FROM role WHERE name LIKE 'Pool %' ORDER BY id")
        }
        guard pool.count >= activations else { throw CommandFailure("only \(pool.count) pool roles") }
        let form = ActivationForm(durationMinutes: 60, justification: "bench-core")

        var cpu = DevBenchCommand.processCPUMilliseconds()
        var activated = 0
        for roleID in pool.prefix(activations) {
            if case .activated? = try await service.activate(roleIDs: [roleID], form: form, by: activator).first {
                activated += 1
            }
        }
        if activations > 0 {
            let each = (DevBenchCommand.processCPUMilliseconds() - cpu) * 1000 / Double(activations)
            print("activate: \(activations) (\(activated) activated), cpu \(String(format: "%.0f", each)) µs each")
        }
        cpu = DevBenchCommand.processCPUMilliseconds()
        var rows = 0
        for _ in 0..<myRoles {
            _ = try await queries.builtInRoles(of: viewer)
            rows += try await queries.myRoles(username: viewer).eligible.count
        }
        if myRoles > 0 {
            let each = (DevBenchCommand.processCPUMilliseconds() - cpu) * 1000 / Double(myRoles)
            print("myRoles + builtInRoles: \(myRoles) (\(rows / myRoles) eligible rows), cpu \(String(format: "%.0f", each)) µs each")
        }
    }
}
