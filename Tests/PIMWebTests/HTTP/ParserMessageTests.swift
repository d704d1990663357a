import HTTPTypes
import Testing
@testable import PIMWeb

struct ParserMessageTests {
    @Test func simpleGetParsesMethodPathAndHost() throws {
        let outcome = ParserHarness.both("GET /roles?x=1 HTTP/1.1\r\nHost: pim.example\r\nAccept: text/html\r\n\r\n")
        let request = try #require(outcome.requests.first)
        #expect(outcome.requests.count == 1 && outcome.error == nil && !outcome.partial)
        #expect(request.head.method == .get)
        #expect(request.head.path == "/roles?x=1")
        #expect(request.head.authority == "pim.example")
        #expect(request.head.headerFields[.accept] == "text/html")
        #expect(request.version == .http11 && request.keepAlive && request.body.isEmpty)
    }

    @Test func fieldValuesAreTrimmedOfOptionalWhitespace() throws {
        let outcome = ParserHarness.both("GET / HTTP/1.1\r\nHost: a\r\nX-Thing: \t spaced value \t\r\n\r\n")
        #expect(try #require(outcome.requests.first).head.headerFields[HTTPField.Name("X-Thing")!] == "spaced value")
    }

    @Test func contentLengthBodyIsRead() throws {
        let outcome = ParserHarness.both("POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
        #expect(try #require(outcome.requests.first).body == Array("hello".utf8))
    }

    @Test func repeatedIdenticalContentLengthIsAccepted() throws {
        let outcome = ParserHarness.both("POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok")
        #expect(try #require(outcome.requests.first).body == Array("ok".utf8))
    }

    @Test func chunkedBodyWithExtensionsAndTrailersIsDecoded() throws {
        let text = "POST /f HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value;q=\"a \\\"b\"\r\nhello\r\n6 ; ext\r\n world\r\n0\r\nX-Trailer: ignored\r\n\r\n"
        let outcome = ParserHarness.both(text)
        let request = try #require(outcome.requests.first)
        #expect(request.body == Array("hello world".utf8))
        #expect(request.head.headerFields[HTTPField.Name("X-Trailer")!] == nil)
    }

    @Test func transferCodingNamesAreCaseInsensitive() {
        #expect(ParserHarness.status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n") == nil)
    }

    @Test func pipelinedRequestsComeOutInOrder() {
        let text = "GET /one HTTP/1.1\r\nHost: a\r\n\r\nPOST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /three HTTP/1.1\r\nHost: a\r\n\r\n"
        let outcome = ParserHarness.both(text)
        #expect(outcome.requests.map(\.head.path) == ["/one", "/two", "/three"])
        #expect(outcome.requests[1].body == Array("abc".utf8))
    }

    @Test func emptyLinesBeforeARequestAreIgnored() {
        #expect(ParserHarness.both("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").requests.count == 1)
    }

    @Test func absoluteFormTargetGivesSchemeAuthorityAndPath() throws {
        let outcome = ParserHarness.both("GET HTTP://Other.example:8080/p?q=1 HTTP/1.1\r\nHost: ignored.example\r\n\r\n")
        let request = try #require(outcome.requests.first)
        #expect(request.head.scheme == "http")
        #expect(request.head.authority == "Other.example:8080")
        #expect(request.head.path == "/p?q=1")
        let bare = ParserHarness.both("GET https://x.example?q HTTP/1.1\r\nHost: x.example\r\n\r\n")
        #expect(bare.requests.first?.head.path == "/?q")
    }

    @Test func asteriskFormIsAcceptedForOptions() {
        #expect(ParserHarness.both("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").requests.first?.head.path == "*")
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() {
        #expect(ParserHarness.both("GET / HTTP/1.0\r\n\r\n").requests.first?.keepAlive == false)
        #expect(ParserHarness.both("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").requests.first?.keepAlive == true)
    }

    @Test func http11KeepsAliveUnlessCloseIsAsked() {
        #expect(ParserHarness.both("GET / HTTP/1.1\r\nHost: a\r\n\r\n").requests.first?.keepAlive == true)
        #expect(ParserHarness.both("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Close\r\n\r\n").requests.first?.keepAlive == false)
    }

    @Test func expectContinueIsSignalledOnceBeforeTheBody() {
        let head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-Continue\r\n\r\n"
        let waiting = ParserHarness.both(head)
        #expect(waiting.continues == 1 && waiting.requests.isEmpty && waiting.partial)
        // Byte by byte the body arrives after the signal too, so both feeds agree.
        let complete = ParserHarness.run(Array((head + "ok").utf8), byteByByte: true)
        #expect(complete.continues == 1 && complete.requests.first?.body == Array("ok".utf8))
    }

    @Test func expectContinueIsIgnoredInHttp10AndWithoutBody() {
        #expect(ParserHarness.both("POST / HTTP/1.0\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\nx").continues == 0)
        #expect(ParserHarness.both("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n").continues == 0)
    }

    @Test func headIsParsedLikeGet() {
        #expect(ParserHarness.both("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n").requests.first?.head.method == .head)
    }

    @Test func unfinishedRequestIsReportedAsPartial() {
        #expect(ParserHarness.both("GET / HTTP/1.1\r\nHost:").partial)
        #expect(ParserHarness.both("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab").partial)
    }
}
