import Foundation
import GRDB
import Testing
@testable import PIMCore
#if canImport(Glibc)
import Glibc
#endif

/// A measurement, not a check: `PIM_COMMIT_BENCH=2000 swift test --filter GroupCommitBenchmark`
/// runs that many concurrent activations (20 users, eligible through a group for 100 roles) on a fresh database and prints
/// wall time, CPU time and COMMITs. `PIM_COMMIT_BATCH=1` turns group commit off for comparison.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PIM_COMMIT_BENCH"] != nil))
struct GroupCommitBenchmark {
    @Test func concurrentActivations() async throws {
        let environment = ProcessInfo.processInfo.environment
        let calls = Int(environment["PIM_COMMIT_BENCH"] ?? "") ?? 2000
        let batch = Int(environment["PIM_COMMIT_BATCH"] ?? "") ?? 64
        let users = (0..<20).map { "user\($0)" }
        // A fixed number of roles (enough for 2,000 calls) keeps the set-up the same whatever
        // `calls`, so two runs differ only by activations.
        let roleCount = max(100, (calls + users.count - 1) / users.count)
        let folder = URL(fileURLWithPath: environment["PIM_COMMIT_BENCH_DIR"] ?? FileManager.default.temporaryDirectory.path)
            .appendingPathComponent("pim-commit-bench-\(UUID().uuidString)")
        let directory = InMemoryDirectory(users: (users + ["root"]).map { DirectoryUser(name: $0, displayName: $0, email: "\($0)@example.org") },
                                          groups: [DirectoryGroup(name: "bench", members: users)])
        let store = try PIMStore.open(path: folder.appendingPathComponent("pim.sqlite").path, maximumWriteBatch: batch)
        let service = PIMService(store: store, directory: directory)
        _ = try await service.bootstrap(admin: "root")
        let admin = ActorContext(username: "root", mfaProvenAt: Date())
        var roles: [Int64] = []
        for index in 0..<roleCount {
            var settings = RoleSettings.defaults
            settings.activation.requireMFA = false
            let role = try await service.createRole(name: "Role \(index)", settings: settings, by: admin)
            _ = try await service.assign(roleID: role.id, members: [.group("bench")], type: .eligible,
                                         justification: "bench", by: admin)
            roles.append(role.id)
        }
        let roleIDs = roles
        let counter = GroupCommitTests.CommitCounter()
        store.pool.add(transactionObserver: counter)
        let form = ActivationForm(durationMinutes: 60, justification: "bench")
        let cpuBefore = Self.cpuSeconds()
        let switchesBefore = Self.contextSwitches()
        let started = ContinuousClock.now
        let activated = try await withThrowingTaskGroup(of: Int.self) { group in
            for call in 0..<calls {
                group.addTask {
                    let actor = ActorContext(username: users[call % users.count], mfaProvenAt: Date())
                    let outcomes = try await service.activate(roleIDs: [roleIDs[call / users.count]], form: form, by: actor)
                    return outcomes.count
                }
            }
            return try await group.reduce(0, +)
        }
        let wall = ContinuousClock.now - started
        let cpu = Self.cpuSeconds() - cpuBefore
        let switches = Self.contextSwitches() - switchesBefore
        #expect(activated == calls)
        let verified = try await store.pool.read { try AuditLog.verify($0) }
        print("GroupCommitBenchmark: \(calls) activations, batch \(batch): wall \(wall), CPU \(String(format: "%.2f", cpu)) s, "
              + "\(counter.commits) commits, \(switches) context switches, audit \(verified)")
        try? FileManager.default.removeItem(at: folder)
    }

    static func contextSwitches() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_nvcsw + usage.ru_nivcsw
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
