import Foundation
import GRDB
import PIMCore
import Synchronization
import Testing
@testable import PIMWeb

/// Concurrent activation POSTs (use case + flash message each) share COMMITs: with one
/// transaction per write they took two fsyncs per POST.
struct ConcurrentActivationTests {
    final class CommitCounter: TransactionObserver, Sendable {
        private let value = Mutex(0)
        var commits: Int { value.withLock { $0 } }
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { value.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    @Test func concurrentActivationsShareCommitsAndEachGetsItsMessage() async throws {
        let names = (0..<32).map { "user\($0)" }
        let portal = try await TestPortal.make(users: names.map { DirectoryUser(name: $0, displayName: $0.capitalized) })
        let role = try await portal.makeRole("Web Operator", eligible: names.map(PrincipalRef.user)) { $0.activation.requireMFA = false }
        var browsers: [Browser] = []
        for name in names { browsers.append(try portal.signIn(name)) }
        let counter = CommitCounter()
        portal.environment.store.pool.add(transactionObserver: counter)
        let answered = await withTaskGroup(of: (Browser, Int).self) { group in
            for browser in browsers {
                group.addTask {
                    var client = browser
                    let response = try? await client.post("/my-roles/activate", [
                        ("role", "\(role)"), ("duration", "60"), ("justification", "Deploy release 4.2")])
                    return (client, response?.status.code ?? 0)
                }
            }
            var all: [(Browser, Int)] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(answered.allSatisfy { $0.1 == 303 })
        let commits = counter.commits
        #expect(commits < 2 * names.count, "\(commits) commits for \(names.count) POSTs")
        print("ConcurrentActivationTests: \(commits) commits for \(names.count) activation POSTs")
        for (browser, _) in answered.prefix(4) {
            var client = browser
            #expect(await client.get("/my-roles?tab=active").bodyText.contains("Web Operator: activated until"))
        }
        let audit = try await portal.environment.store.pool.read { try AuditLog.verify($0) }
        guard case .intact = audit else { Issue.record("audit chain: \(audit)"); return }
    }
}
