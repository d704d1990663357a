import ArgumentParser
import Foundation
import PIMCore
#if canImport(Glibc)
import Glibc
#endif

/// `pim dev …`: developer tools (seeding at scale, the query benchmark, the crash-test churn).
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev", abstract: "Developer tools.",
        subcommands: [DevSeedCommand.self, DevBenchCommand.self, DevChurnCommand.self, DevBenchSeedCommand.self,
                      DevBenchCoreCommand.self])
}

/// Fills the database with synthetic users, roles, assignments and audit events.
struct DevSeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed", abstract: "Seed synthetic data at scale.")

    @OptionGroup var options: CommonOptions
    @Option var users = 1000
    @Option var roles = 50
    @Option var assignments = 5000
    @Option var audit = 10000

    func run() async throws {
        let store = try options.openStore()
        let started = ContinuousClock.now
        try DevSeeder(store: store, counts: .init(users: users, roles: roles, assignments: assignments, audit: audit))
            .seed { FileHandle.standardError.write(Data("seeded \($0) (\(ContinuousClock.now - started))\n".utf8)) }
        print("Seeded \(users) users, \(roles) roles, \(assignments) assignments, \(audit) audit events in \(ContinuousClock.now - started).")
    }
}

/// Times the page queries on a seeded database: p50 / p95 / max in milliseconds.
struct DevBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Time the page queries on a seeded database.")

    @OptionGroup var options: CommonOptions
    @Option var users = 1000
    @Option(help: "Groups used when seeding (default users / 50).") var groups = 0
    @Option var iterations = 200

    func run() async throws {
        let store = try options.openStore()
        let directory = SyntheticDirectory(users: users, groups: groups > 0 ? groups : max(1, users / 50))
        let queries = PIMQueries(store: store, directory: directory)
        let service = PIMService(store: store, directory: directory)
        let roleIDs = try await store.pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM role ORDER BY id") }
        var seed: UInt64 = 7
        func pick(_ n: Int) -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int((seed >> 33) % UInt64(n)) }
        func user() -> String { "user\(pick(users) + 1)" }
        func role() -> Int64 { roleIDs[pick(roleIDs.count)] }
        let now = Date()
        let cases: [(String, () async throws -> Void)] = [
            ("myRoles (user)", { _ = try await queries.myRoles(username: user()) }),
            ("pendingApprovals (admin)", { _ = try await queries.pendingApprovals(for: "admin") }),
            ("pendingApprovals (user)", { _ = try await queries.pendingApprovals(for: user()) }),
            ("myRequests", { _ = try await queries.myRequests(username: user()) }),
            ("roleAssignments eligible p1", { _ = try await queries.roleAssignments(roleID: role(), tab: .eligible) }),
            ("roleAssignments active p1", { _ = try await queries.roleAssignments(roleID: role(), tab: .active) }),
            ("roleAssignments expired p1", { _ = try await queries.roleAssignments(roleID: role(), tab: .expired) }),
            ("roles list with counts (50)", { _ = try await queries.roles(offset: pick(max(1, roleIDs.count - 50))) }),
            ("roles search", { _ = try await queries.roles(search: "Role 00\(pick(10))") }),
            ("audit page, no filter", { _ = try await queries.auditPage(filter: AuditFilter()) }),
            ("audit page, role", { _ = try await queries.auditPage(filter: AuditFilter(roleID: role())) }),
            ("audit page, user", { _ = try await queries.auditPage(filter: AuditFilter(user: user())) }),
            ("audit page, action", { _ = try await queries.auditPage(filter: AuditFilter(action: "roleActivated")) }),
            ("audit page, 7 days", { _ = try await queries.auditPage(filter: AuditFilter(since: now - 7 * 86_400)) }),
            ("audit page, 30 days + role + action", {
                _ = try await queries.auditPage(filter: AuditFilter(since: now - 30 * 86_400, roleID: role(), action: "roleActivated"))
            }),
            ("attention (home)", { _ = try await queries.attention(for: user()) }),
            ("scheduler pass (steady state)", { _ = try await service.runDueWork() }),
        ]
        // Wall time suffers from other processes on a shared host; process CPU time
        // (clock_gettime(2), CLOCK_PROCESS_CPUTIME_ID) shows the cost of the query itself.
        print("query | wall p50 ms | wall p95 ms | wall max ms | cpu p50 ms | cpu p95 ms")
        for (name, body) in cases {
            for _ in 0..<5 { try await body() }  // warm the page cache
            var wall: [Double] = [], cpu: [Double] = []
            for _ in 0..<iterations {
                let start = ContinuousClock.now
                let cpuStart = Self.processCPUMilliseconds()
                try await body()
                cpu.append(Self.processCPUMilliseconds() - cpuStart)
                let elapsed = ContinuousClock.now - start
                wall.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            }
            wall.sort()
            cpu.sort()
            func at(_ samples: [Double], _ q: Double) -> String {
                String(format: "%.2f", samples[min(samples.count - 1, Int(Double(samples.count) * q))])
            }
            print("\(name) | \(at(wall, 0.5)) | \(at(wall, 0.95)) | \(at(wall, 1)) | \(at(cpu, 0.5)) | \(at(cpu, 0.95))")
        }
    }

    static func processCPUMilliseconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1000 + Double(spec.tv_nsec) / 1e6
    }
}

/// For the crash test: activates and revokes in a loop, printing "ACK <op> <id>" after each
/// commit, until killed.
struct DevChurnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "churn", abstract: "Crash-test workload.", shouldDisplay: false)

    @OptionGroup var options: CommonOptions
    @Option var users = 5

    /// Written unbuffered, after the commit returned: a printed id is an acknowledged change.
    static func acknowledge(_ text: String) {
        FileHandle.standardOutput.write(Data("ACK \(text)\n".utf8))
    }

    func run() async throws {
        let store = try options.openStore()
        let names = (1...users).map { "churn\($0)" }
        let directory = InMemoryDirectory(users: ([ "admin" ] + names).map { DirectoryUser(name: $0, displayName: $0) })
        let service = PIMService(store: store, directory: directory)
        let admin = ActorContext(username: "admin", sourceAddress: "churn")
        _ = try? await service.bootstrap(admin: "admin")
        let queries = PIMQueries(store: store, directory: directory)
        var roleID = try await queries.roles(search: "Churn").first?.id
        if roleID == nil {
            var settings = RoleSettings()
            settings.activation.requireMFA = false
            settings.activation.requireJustification = false
            roleID = try await service.createRole(name: "Churn", settings: settings, by: admin).id
        }
        guard let roleID else { return }
        for name in names where try await queries.myRoles(username: name).eligible.isEmpty {
            _ = try await service.assign(roleID: roleID, members: [.user(name)], type: .eligible, justification: "churn", by: admin)
        }
        var i = 0
        while true {
            let user = names[i % names.count]
            i += 1
            let outcome = try await service.activate(roleIDs: [roleID], form: ActivationForm(durationMinutes: 60),
                                                     by: ActorContext(username: user))
            guard case .activated(let a)? = outcome.first else {
                if case .alreadyActive(let a)? = outcome.first {
                    try await service.revoke(assignmentID: a.id, justification: "churn", by: admin)
                    Self.acknowledge("revoke \(a.id)")
                }
                continue
            }
            Self.acknowledge("activate \(a.id)")
            try await service.revoke(assignmentID: a.id, justification: "churn", by: admin)
            Self.acknowledge("revoke \(a.id)")
        }
    }
}
