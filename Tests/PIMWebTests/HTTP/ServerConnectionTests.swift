import Foundation
import Testing
@testable import PIMWeb

/// Real sockets against a server on an ephemeral port: framing, keep-alive, pipelining.
struct ServerConnectionTests {
    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let server = try TestServer.start(responder: TestServer.standard)
        let port = server.port
        try await TestServer.clients.run {
            let client = try TestClient(port: port)
            for index in 0..<3 {
                try client.send("GET /n\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200 && response.text == "path /n\(index) from 127.0.0.1")
                #expect(response.header("Connection") == nil)
            }
        }
        await server.shutdown()
    }

    @Test func responsesCarryDateServerAndContentLength() async throws {
        let server = try TestServer.start(responder: TestServer.standard)
        let port = server.port
        let response = try await TestServer.clients.run {
            let client = try TestClient(port: port)
            try client.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n")
            return try client.readResponse()
        }
        #expect(response.header("Server") == "pim")
        #expect(response.header("Date")?.hasSuffix(" GMT") == true)
        #expect(response.header("Content-Length") == "\(response.body.count)")
        await server.shutdown()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try TestServer.start(responder: TestServer.standard)
        let port = server.port
        try await TestServer.clients.run {
            let client = try TestClient(port: port)
            // The slow one first: a server answering out of order would send /fast first.
            try client.send("GET /pause HTTP/1.1\r\nHost: a\r\n\r\nPOST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbodyGET /fast HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().text == "paused")
            #expect(try client.readResponse().text == "body")
            #expect(try client.readResponse().text == "path /fast from 127.0.0.1")
        }
        await server.shutdown()
    }

    /// A body larger than the socket takes at once reaches a slow reader whole and in order, and
    /// the pipelined request behind it is answered after it.
    @Test func largeBodyReachesASlowReaderWholeBeforeTheNextResponse() async throws {
        let server = try TestServer.start(responder: TestServer.standard)
        let port = server.port
        try await TestServer.clients.run {
            let client = try TestClient(port: port)
            var size: Int32 = 32 * 1024
            setsockopt(client.descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            try client.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n")
            usleep(200_000)  // the server meets a full socket and must wait for it
            let big = try client.readResponse()
            #expect(big.status == 200 && big.header("Content-Length") == "\(TestServer.bigBody.count)")
            #expect(big.body == TestServer.bigBody)
            #expect(try client.readResponse().text == "path /next from 127.0.0.1")
        }
        await server.shutdown()
    }

    @Test func headAnswersTheHeadersOfGetWithoutBody() async throws {
        let server = try TestServer.start(responder: TestServer.standard)
        let port = server.port
        try await TestServer.clients.run {
            let client = try TestClient(port: port)
            try client.send("HEAD /thing HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n")
            let head = try client.readResponse(head: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "\("path /thing from 127.0.0.1".utf8.count)")
            // If HEAD had sent a body, this would read it as a broken status line.
            #expect(try client.readResponse().text == "path /next from 127.0.0.1")
        }
        await server.shutdown()
    }

    @Test func expectContinueGetsAn100BeforeTheBodyIsSent() async throws {
        let server = try TestServer.start(responder: TestServer.standard)
        let port = server.port
        try await TestServer.clients.run {
            let client = try TestClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            try client.send("hello")
            let final = try client.readResponse()
            #expect(final.status == 200 && final.text == "hello")
        }
        await server.shutdown()
    }

    @Test func oversizedBodyWithExpectContinueGets413WithoutContinue() async throws {
        var configuration = HTTPConfiguration()
        configuration.maxBodyBytes = 10
        let server = try TestServer.start(configuration: configuration, responder: TestServer.standard)
        let port = server.port
        try await TestServer.clients.run {
            let client = try TestClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413 && response.header("Connection") == "close")
            #expect(client.isClosedByServer())
        }
        await server.shutdown()
    }

    @Test func http10ConnectionClosesUnlessKeepAliveIsAsked() async throws {
        let server = try TestServer.start(responder: TestServer.standard)
        let port = server.port
        try await TestServer.clients.run {
            let plain = try TestClient(port: port)
            try plain.send("GET /a HTTP/1.0\r\n\r\n")
            #expect(try plain.readResponse().header("Connection") == "close")
            #expect(plain.isClosedByServer())
            let kept = try TestClient(port: port)
            try kept.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try kept.readResponse().header("Connection") == "keep-alive")
            try kept.send("GET /b HTTP/1.0\r\n\r\n")
            #expect(try kept.readResponse().text == "path /b from 127.0.0.1")
        }
        await server.shutdown()
    }

    @Test func parseErrorAnswersGenericPageWithCloseAndLogsTheRequestID() async throws {
        let logs = LogRecorder()
        let server = try TestServer.start(logs: logs, responder: TestServer.standard)
        let port = server.port
        let response = try await TestServer.clients.run {
            let client = try TestClient(port: port)
            try client.send("GET /<script>alert(1)</script> HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
            let response = try client.readResponse()
            #expect(client.isClosedByServer())
            return response
        }
        #expect(response.status == 400 && response.header("Connection") == "close")
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(!response.text.contains("script") && !response.text.contains("Host"))
        let logged = try #require(logs.all.first { $0.message == "rejected request" })
        let requestID = try #require(logged.metadata["request_id"])
        #expect(response.text.contains(requestID))
        await server.shutdown()
    }

    @Test func streamedBodyIsChunkedAndComplete() async throws {
        let server = try TestServer.start(responder: TestServer.standard)
        let port = server.port
        try await TestServer.clients.run {
            let client = try TestClient(port: port)
            try client.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Transfer-Encoding") == "chunked")
            let lines = response.text.split(separator: "\n")
            #expect(lines.count == 20_000 && lines.last == "row 19999")
            // Still usable afterwards.
            try client.send("GET /after HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
        await server.shutdown()
    }

    @Test func streamedBodyToHttp10ClientIsDelimitedByClose() async throws {
        let server = try TestServer.start(responder: TestServer.standard)
        let port = server.port
        try await TestServer.clients.run {
            let client = try TestClient(port: port)
            try client.send("GET /stream HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.header("Transfer-Encoding") == nil)
            #expect(response.text.split(separator: "\n").count == 20_000)
        }
        await server.shutdown()
    }

    @Test func accessLogHasOneLinePerRequestWithoutQueryOrCookies() async throws {
        let logs = LogRecorder()
        let server = try TestServer.start(logs: logs, responder: TestServer.standard)
        let port = server.port
        try await TestServer.clients.run {
            let client = try TestClient(port: port)
            try client.send("GET /page?token=secret HTTP/1.1\r\nHost: a\r\nCookie: sid=topsecret\r\n\r\n")
            _ = try client.readResponse()
        }
        await server.shutdown()
        let lines = logs.all.filter { $0.message.hasPrefix("GET ") }
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.message == "GET /page 200")
        #expect(line.metadata["client"] == "127.0.0.1" && line.metadata["request_id"] != nil)
        #expect(line.metadata["bytes"] != nil && line.metadata["duration_us"] != nil)
        let everything = logs.all.map { "\($0.message) \($0.metadata)" }.joined()
        #expect(!everything.contains("secret"))
    }
}
