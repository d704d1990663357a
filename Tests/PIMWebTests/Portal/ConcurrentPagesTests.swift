import Foundation
import Testing
@testable import PIMWeb

/// Many pages at once must all be answered. A page mixes synchronous store calls (session,
/// flash) with async queries; when an async GRDB read kept its connection across a suspension,
/// a handful of concurrent page loads deadlocked the whole server (found by the portal
/// benchmark at 8 connections).
struct ConcurrentPagesTests {
    @Test func manyConcurrentPageLoadsAreAllAnswered() async throws {
        // A deadlock stops the cooperative pool, and with it any time limit of the test
        // framework: a watchdog on a thread of its own turns the hang into a failing run.
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            if finished.wait(timeout: .now() + 60) == .timedOut {
                FileHandle.standardError.write(Data("ConcurrentPagesTests: page loads deadlocked\n".utf8))
                abort()
            }
        }
        defer { finished.signal() }
        let portal = try await TestPortal.make()
        for index in 0..<5 {
            try await portal.makeRole("Role \(index)", eligible: [.user("alice")])
        }
        let browser = try portal.signIn("alice")
        let statuses = await withTaskGroup(of: Int.self) { group in
            for index in 0..<64 {
                group.addTask {
                    var client = browser
                    let path = ["/my-roles", "/", "/my-requests", "/my-roles?tab=active"][index % 4]
                    return await client.get(path).status.code
                }
            }
            var all: [Int] = []
            for await status in group { all.append(status) }
            return all
        }
        #expect(statuses.count == 64)
        #expect(statuses.allSatisfy { $0 == 200 })
    }
}
