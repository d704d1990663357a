import Testing
@testable import PIMWeb

struct LogfmtLogHandlerTests {
    @Test func plainValuesStayBareAndOthersAreQuoted() {
        #expect(LogfmtLogHandler.quoted("127.0.0.1") == "127.0.0.1")
        #expect(LogfmtLogHandler.quoted("GET /x 200") == "\"GET /x 200\"")
        #expect(LogfmtLogHandler.quoted("a=b") == "\"a=b\"")
        #expect(LogfmtLogHandler.quoted("") == "\"\"")
        #expect(LogfmtLogHandler.quoted("say \"hi\"\nnext") == "\"say \\\"hi\\\"\\nnext\"")
        // Other controls become spaces; a backslash is escaped; other text passes as it is.
        #expect(LogfmtLogHandler.quoted("a\r\tb\u{7F}c\u{1B}[31m") == "\"a  b c [31m\"")
        #expect(LogfmtLogHandler.quoted("C:\\my dir") == "\"C:\\\\my dir\"")
        #expect(LogfmtLogHandler.quoted("café 日本 🔐 x") == "\"café 日本 🔐 x\"")
        #expect(LogfmtLogHandler.quoted("naïve") == "naïve")
    }

    @Test func timestampIsRFC3339UTC() {
        #expect(TimestampCache().now().wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
    }
}
