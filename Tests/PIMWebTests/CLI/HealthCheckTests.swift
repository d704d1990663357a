import Foundation
import GRDB
import HTTPTypes
import Testing
@testable import PIMWeb

struct HealthCheckTests {
    static func router(_ check: HealthCheck) -> Router {
        var routes = RouterBuilder()
        check.register(in: &routes)
        return routes.build(logger: LogRecorder().logger())
    }

    static let request = WebRequest(head: HTTPRequest(method: .get, scheme: nil, authority: "a", path: "/healthz"))

    @Test func healthzIsOkWhileTheDatabaseAnswersAnd503AfterItStops() async throws {
        let path = NSTemporaryDirectory() + "pim-health-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let pool = try DatabasePool(path: path)
        let router = Self.router(HealthCheck(database: pool, maxAge: .zero))
        let healthy = await router.respond(to: Self.request)
        #expect(healthy.status == .ok)
        guard case .bytes(let body) = healthy.body else { Issue.record("expected bytes"); return }
        #expect(body == Array("ok".utf8))
        try pool.close()
        #expect(await router.respond(to: Self.request).status == .serviceUnavailable)
    }
}
