import GRDB
import PIMCore
import Synchronization

/// `GET /healthz`: 200 `ok` when the database answers a query, 503 otherwise.
///
/// A successful answer is reused for `maxAge` (1 s by default) so a load balancer or a
/// benchmark polling hard does not turn into a database query per request; a failure is never
/// reused, so recovery and loss both show within `maxAge`.
final class HealthCheck: Sendable {
    private let database: DatabasePool
    private let maxAge: UInt64
    private let lastSuccess = Atomic<UInt64>(0)

    init(database: DatabasePool, maxAge: Duration = .seconds(1)) {
        self.database = database
        self.maxAge = MonotonicTime.nanoseconds(maxAge)
    }

    func databaseAnswers() async -> Bool {
        let now = MonotonicTime.now()
        let last = lastSuccess.load(ordering: .relaxed)
        if last != 0 && now - last < maxAge { return true }
        do {
            let one = try await database.readOffPool { db in try Int.fetchOne(db, sql: "SELECT 1") }
            guard one == 1 else { return false }
            lastSuccess.store(now, ordering: .relaxed)
            return true
        } catch {
            lastSuccess.store(0, ordering: .relaxed)
            return false
        }
    }

    func register(in router: inout RouterBuilder) {
        router.get("/healthz") { [self] _ in
            var response = await databaseAnswers() ? WebResponse.text("ok") : WebResponse.text("unavailable", status: .serviceUnavailable)
            response.headerFields[.cacheControl] = "no-store"
            return response
        }
    }
}
