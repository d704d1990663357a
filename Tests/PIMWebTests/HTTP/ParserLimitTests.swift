import Testing
@testable import PIMWeb

/// Each limit exactly at its boundary (accepted) and one byte or field past it (rejected).
struct ParserLimitTests {
    static func get(target: String, extra: String = "") -> String {
        "GET \(target) HTTP/1.1\r\nHost: a\r\n\(extra)\r\n"
    }

    @Test func targetAtLimitIsAcceptedAndOnePastAnswers414() {
        let limit = HTTPConfiguration().maxRequestTargetLength
        let atLimit = "/" + String(repeating: "a", count: limit - 1)
        #expect(ParserHarness.status(Self.get(target: atLimit)) == nil)
        #expect(ParserHarness.status(Self.get(target: atLimit + "a")) == 414)
    }

    @Test func overlongTargetIsRejectedBeforeTheLineEnds() {
        let limit = HTTPConfiguration().maxRequestTargetLength
        let outcome = ParserHarness.both("GET /" + String(repeating: "a", count: limit))
        #expect(outcome.error?.status == 414)
    }

    @Test func methodAtLimitIsAcceptedAndOnePastAnswers501() {
        let limit = HTTPConfiguration().maxMethodLength
        let method = String(repeating: "M", count: limit)
        #expect(ParserHarness.status("\(method) / HTTP/1.1\r\nHost: a\r\n\r\n") == nil)
        #expect(ParserHarness.status("\(method)M / HTTP/1.1\r\nHost: a\r\n\r\n") == 501)
    }

    /// A header section of exactly `total` bytes: Host plus one filler field.
    static func headerSection(total: Int) -> String {
        let hostLine = "Host: a\r\n"
        let fillerOverhead = "X-Fill: \r\n".utf8.count
        let filler = String(repeating: "f", count: total - hostLine.utf8.count - fillerOverhead)
        return "GET / HTTP/1.1\r\n\(hostLine)X-Fill: \(filler)\r\n\r\n"
    }

    @Test func headerSectionAtLimitIsAcceptedAndOnePastAnswers431() {
        let limit = HTTPConfiguration().maxHeaderBytes
        #expect(ParserHarness.status(Self.headerSection(total: limit)) == nil)
        #expect(ParserHarness.status(Self.headerSection(total: limit + 1)) == 431)
    }

    @Test func overlongHeaderLineIsRejectedBeforeItEnds() {
        let limit = HTTPConfiguration().maxHeaderBytes
        let outcome = ParserHarness.both("GET / HTTP/1.1\r\nX-Fill: " + String(repeating: "f", count: limit))
        #expect(outcome.error?.status == 431)
    }

    static func fields(_ count: Int) -> String {
        let others = (1..<count).map { "X-F\($0): v\r\n" }.joined()
        return "GET / HTTP/1.1\r\nHost: a\r\n\(others)\r\n"
    }

    @Test func fieldCountAtLimitIsAcceptedAndOnePastAnswers431() {
        let limit = HTTPConfiguration().maxHeaderFields
        #expect(ParserHarness.status(Self.fields(limit)) == nil)
        #expect(ParserHarness.status(Self.fields(limit + 1)) == 431)
    }

    @Test func declaredBodyAtLimitIsReadAndOnePastAnswers413BeforeTheBody() {
        let limit = HTTPConfiguration().maxBodyBytes
        let body = [UInt8](repeating: 120, count: limit)
        let atLimit = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(limit)\r\n\r\n".utf8) + body
        let accepted = ParserHarness.run(atLimit, byteByByte: false)
        #expect(accepted.requests.first?.body.count == limit)
        // Only the head is sent: the decision must not wait for body bytes.
        #expect(ParserHarness.status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(limit + 1)\r\n\r\n") == 413)
    }

    static func chunked(_ sizes: [Int]) -> String {
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + sizes.map { String($0, radix: 16) + "\r\n" + String(repeating: "c", count: $0) + "\r\n" }.joined()
            + "0\r\n\r\n"
    }

    @Test func chunkedBodyIsCountedAcrossChunks() {
        var configuration = HTTPConfiguration()
        configuration.maxBodyBytes = 1000
        let accepted = ParserHarness.both(Self.chunked([400, 400, 200]), configuration: configuration)
        #expect(accepted.requests.first?.body.count == 1000)
        #expect(ParserHarness.status(Self.chunked([400, 400, 201]), configuration: configuration) == 413)
    }

    @Test func chunkedBodyAtDefaultLimitIsAcceptedAndOnePastAnswers413() {
        let limit = HTTPConfiguration().maxBodyBytes
        let accepted = ParserHarness.run(Array(Self.chunked([limit / 2, limit / 2]).utf8), byteByByte: false)
        #expect(accepted.requests.first?.body.count == limit)
        let rejected = ParserHarness.run(Array(Self.chunked([limit / 2, limit / 2 + 1]).utf8), byteByByte: false)
        #expect(rejected.error?.status == 413)
    }

    @Test func declaredBodyLimitHoldsByteByByteWithASmallConfiguration() {
        var configuration = HTTPConfiguration()
        configuration.maxBodyBytes = 64
        let body = String(repeating: "b", count: 64)
        #expect(ParserHarness.status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 64\r\n\r\n\(body)", configuration: configuration) == nil)
        #expect(ParserHarness.status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 65\r\n\r\n\(body)b", configuration: configuration) == 413)
    }

    @Test func chunkLineAtLimitIsAcceptedAndOnePastIsRejected() {
        let limit = HTTPConfiguration().maxChunkLineLength
        func line(_ total: Int) -> String {
            // "1;x=" + value + CRLF
            "1;x=" + String(repeating: "v", count: total - 6) + "\r\n"
        }
        let prefix = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(ParserHarness.status(prefix + line(limit) + "z\r\n0\r\n\r\n") == nil)
        #expect(ParserHarness.status(prefix + line(limit + 1) + "z\r\n0\r\n\r\n") == 400)
    }

    @Test func trailerSectionHasTheHeaderLimits() {
        var configuration = HTTPConfiguration()
        configuration.maxHeaderFields = 2
        let prefix = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        #expect(ParserHarness.status(prefix + "A: 1\r\nB: 2\r\n\r\n", configuration: configuration) == nil)
        #expect(ParserHarness.status(prefix + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n", configuration: configuration) == 431)
    }
}
