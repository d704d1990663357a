import Testing
@testable import PIMWeb

struct PIMWebSmokeTests {
    @Test func moduleLinks() {
        #expect(!"PIMWeb".isEmpty)
    }
}
