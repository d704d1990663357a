import Testing
@testable import PIMWeb

/// Every rule where lenience would enable smuggling or confusion answers an error status.
struct ParserStrictnessTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let status: Int
        let kind: HTTPParseError.Kind
        var testDescription: String { name }
    }

    static let host = "Host: a\r\n"

    static let cases: [Case] = [
        Case(name: "HTTP/1.1 without Host", text: "GET / HTTP/1.1\r\n\r\n", status: 400, kind: .missingHost),
        Case(name: "two Host fields", text: "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", status: 400, kind: .duplicateHost),
        Case(name: "two Host fields in 1.0", text: "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", status: 400, kind: .duplicateHost),
        Case(name: "Host with space", text: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", status: 400, kind: .badHost),
        Case(name: "Host with userinfo", text: "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", status: 400, kind: .badHost),
        Case(name: "Content-Length with Transfer-Encoding",
             text: "POST / HTTP/1.1\r\n\(host)Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
             status: 400, kind: .contentLengthWithTransferEncoding),
        Case(name: "disagreeing Content-Length", text: "POST / HTTP/1.1\r\n\(host)Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
             status: 400, kind: .badContentLength),
        Case(name: "list-valued Content-Length", text: "POST / HTTP/1.1\r\n\(host)Content-Length: 3, 3\r\n\r\nabc",
             status: 400, kind: .badContentLength),
        Case(name: "signed Content-Length", text: "POST / HTTP/1.1\r\n\(host)Content-Length: +3\r\n\r\nabc", status: 400, kind: .badContentLength),
        Case(name: "negative Content-Length", text: "POST / HTTP/1.1\r\n\(host)Content-Length: -1\r\n\r\n", status: 400, kind: .badContentLength),
        Case(name: "non-digit Content-Length", text: "POST / HTTP/1.1\r\n\(host)Content-Length: 0x3\r\n\r\nabc", status: 400, kind: .badContentLength),
        Case(name: "empty Content-Length", text: "POST / HTTP/1.1\r\n\(host)Content-Length:\r\n\r\n", status: 400, kind: .badContentLength),
        Case(name: "huge Content-Length", text: "POST / HTTP/1.1\r\n\(host)Content-Length: 99999999999999999999999\r\n\r\n",
             status: 400, kind: .badContentLength),
        Case(name: "Transfer-Encoding not ending in chunked", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, gzip\r\n\r\n",
             status: 400, kind: .transferEncodingNotChunked),
        Case(name: "Transfer-Encoding gzip only", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip\r\n\r\n",
             status: 400, kind: .transferEncodingNotChunked),
        Case(name: "chunked twice", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
             status: 400, kind: .transferEncodingNotChunked),
        Case(name: "unimplemented coding before chunked", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip, chunked\r\n\r\n",
             status: 501, kind: .unsupportedTransferCoding),
        Case(name: "Transfer-Encoding in HTTP/1.0", text: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
             status: 400, kind: .transferEncodingInHTTP10),
        Case(name: "whitespace before colon", text: "GET / HTTP/1.1\r\nHost : a\r\n\r\n", status: 400, kind: .whitespaceBeforeColon),
        Case(name: "tab before colon", text: "GET / HTTP/1.1\r\n\(host)X-A\t: b\r\n\r\n", status: 400, kind: .whitespaceBeforeColon),
        Case(name: "obs-fold", text: "GET / HTTP/1.1\r\n\(host)X-A: b\r\n c\r\n\r\n", status: 400, kind: .obsFold),
        Case(name: "whitespace before the first field", text: "GET / HTTP/1.1\r\n \(host)\r\n", status: 400, kind: .obsFold),
        Case(name: "bare CR in a value", text: "GET / HTTP/1.1\r\n\(host)X-A: b\rc\r\n\r\n", status: 400, kind: .bareCR),
        Case(name: "bare CR in the request line", text: "GET /\r HTTP/1.1\r\n\(host)\r\n", status: 400, kind: .bareCR),
        Case(name: "bare LF ending a field", text: "GET / HTTP/1.1\r\n\(host)X-A: b\n\r\n", status: 400, kind: .bareLF),
        Case(name: "bare LF ending the request line", text: "GET / HTTP/1.1\n\(host)\r\n", status: 400, kind: .bareLF),
        Case(name: "NUL in a value", text: "GET / HTTP/1.1\r\n\(host)X-A: b\u{0}c\r\n\r\n", status: 400, kind: .badFieldValue),
        Case(name: "CTL in a value", text: "GET / HTTP/1.1\r\n\(host)X-A: b\u{1}c\r\n\r\n", status: 400, kind: .badFieldValue),
        Case(name: "DEL in a value", text: "GET / HTTP/1.1\r\n\(host)X-A: b\u{7F}c\r\n\r\n", status: 400, kind: .badFieldValue),
        Case(name: "non-token field name", text: "GET / HTTP/1.1\r\n\(host)X(A): b\r\n\r\n", status: 400, kind: .badFieldName),
        Case(name: "empty field name", text: "GET / HTTP/1.1\r\n\(host): b\r\n\r\n", status: 400, kind: .badFieldName),
        Case(name: "field line without colon", text: "GET / HTTP/1.1\r\n\(host)NoColon\r\n\r\n", status: 400, kind: .badFieldName),
        Case(name: "HTTP/2.0", text: "GET / HTTP/2.0\r\n\(host)\r\n", status: 505, kind: .unsupportedVersion),
        Case(name: "HTTP/1.2", text: "GET / HTTP/1.2\r\n\(host)\r\n", status: 505, kind: .unsupportedVersion),
        Case(name: "HTTP/3", text: "GET / HTTP/3\r\n\(host)\r\n", status: 505, kind: .unsupportedVersion),
        Case(name: "lowercase version", text: "GET / http/1.1\r\n\(host)\r\n", status: 400, kind: .badVersion),
        Case(name: "garbage version", text: "GET / HTTP/x.y\r\n\(host)\r\n", status: 400, kind: .badVersion),
        Case(name: "HTTP/0.9 request line", text: "GET /\r\n\r\n", status: 400, kind: .badRequestLine),
        Case(name: "double space in request line", text: "GET  / HTTP/1.1\r\n\(host)\r\n", status: 400, kind: .badRequestLine),
        Case(name: "leading space in request line", text: " GET / HTTP/1.1\r\n\(host)\r\n", status: 400, kind: .badRequestLine),
        Case(name: "extra space after version", text: "GET / HTTP/1.1 \r\n\(host)\r\n", status: 400, kind: .badRequestLine),
        Case(name: "non-token method", text: "G(T / HTTP/1.1\r\n\(host)\r\n", status: 400, kind: .badMethod),
        Case(name: "fragment in target", text: "GET /a#b HTTP/1.1\r\n\(host)\r\n", status: 400, kind: .badTarget),
        Case(name: "control byte in target", text: "GET /a\u{1}b HTTP/1.1\r\n\(host)\r\n", status: 400, kind: .badTarget),
        Case(name: "authority-form target", text: "CONNECT a.example:443 HTTP/1.1\r\n\(host)\r\n", status: 400, kind: .badTarget),
        Case(name: "asterisk target for GET", text: "GET * HTTP/1.1\r\n\(host)\r\n", status: 400, kind: .badTarget),
        Case(name: "absolute target with userinfo", text: "GET http://u:p@a/ HTTP/1.1\r\n\(host)\r\n", status: 400, kind: .badTarget),
        Case(name: "absolute target with other scheme", text: "GET ftp://a/ HTTP/1.1\r\n\(host)\r\n", status: 400, kind: .badTarget),
        Case(name: "chunk size not hex", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nzz\r\n", status: 400, kind: .badChunkSize),
        Case(name: "chunk size with junk", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n",
             status: 400, kind: .badChunkSize),
        Case(name: "empty chunk size", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n\r\n", status: 400, kind: .badChunkSize),
        Case(name: "overflowing chunk size", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n",
             status: 400, kind: .badChunkSize),
        Case(name: "chunk extension without name", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n",
             status: 400, kind: .badChunkExtension),
        Case(name: "chunk extension without value", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5;a=\r\nhello\r\n",
             status: 400, kind: .badChunkExtension),
        Case(name: "unterminated quoted chunk extension", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5;a=\"x\r\nhello\r\n",
             status: 400, kind: .badChunkExtension),
        Case(name: "chunk data longer than its size", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\nhello!\r\n0\r\n\r\n",
             status: 400, kind: .badChunkTerminator),
        Case(name: "chunk data ended by LF only", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n",
             status: 400, kind: .badChunkTerminator),
        Case(name: "bad trailer field", text: "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n0\r\nBad Name: x\r\n\r\n",
             status: 400, kind: .whitespaceBeforeColon),
        Case(name: "unknown expectation", text: "POST / HTTP/1.1\r\n\(host)Expect: teapot\r\nContent-Length: 1\r\n\r\nx",
             status: 417, kind: .unsupportedExpectation),
    ]

    @Test(arguments: cases)
    func malformedRequestIsRejected(_ testCase: Case) {
        let outcome = ParserHarness.both(testCase.text)
        #expect(outcome.error?.status == testCase.status)
        #expect(outcome.error?.kind == testCase.kind)
        #expect(outcome.requests.isEmpty)
    }

    @Test func parserStaysFailedAfterAnError() {
        var parser = RequestParser()
        parser.feed(Array("GET / HTTP/9.9\r\n\r\n".utf8))
        guard case .failure = parser.next() else { Issue.record("expected failure"); return }
        parser.feed(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        guard case .failure(let error) = parser.next() else { Issue.record("expected failure to persist"); return }
        #expect(error.status == 505)
    }

    @Test func errorDescriptionNeverContainsRequestBytes() {
        let outcome = ParserHarness.both("GET /<script>secret HTTP/1.1\r\nHost: a\r\nX: \u{1}<b>\r\n\r\n")
        let description = String(describing: outcome.error)
        #expect(!description.contains("script") && !description.contains("<b>"))
    }
}
