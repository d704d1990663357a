import Foundation
import Logging
import PIMCore
import Testing
@testable import PIMWeb

/// The CSV download through the real HTTP server on a socket, as a browser receives it.
struct AuditDownloadServerTests {
    @Test func largeAuditDownloadIsSentChunkedAndComplete() async throws {
        let portal = try await TestPortal.make()
        let seeded = 20_000
        try await portal.environment.store.pool.write { [now = portal.clock.now()] db in
            for index in 0..<seeded {
                try AuditLog.append(AuditEventDraft(time: now, actor: "alice", action: "note",
                                                    justification: "row, \"\(index)\"", details: "-\(index)"), in: db)
            }
        }
        let total = try await portal.environment.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_event") ?? 0 }
        var routes = RouterBuilder()
        portal.app.register(in: &routes)
        let server = try TestServer.start(responder: routes.build(logger: Logger(label: "test")))
        let port = server.port
        let cookie = "pim=" + (try portal.signIn(.admin).sessionToken ?? "")
        let response = try await TestServer.clients.run {
            let client = try TestClient(port: port, timeout: 60)
            try client.send("GET /audit.csv?range=all HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(cookie)\r\n\r\n")
            return try client.readResponse()
        }
        await server.shutdown()
        #expect(response.status == 200)
        #expect(response.header("Transfer-Encoding") == "chunked")
        #expect(response.header("Content-Length") == nil)
        #expect(response.header("Content-Type") == "text/csv; charset=utf-8; header=present")
        #expect(response.header("Cache-Control") == "no-store")
        #expect(Array(response.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: response.body.dropFirst(3), as: UTF8.self)
        let records = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(records.count == total + 1)
        #expect(text.contains(",\"row, \"\"19999\"\"\",,success,,,'-19999,"))
    }
}
