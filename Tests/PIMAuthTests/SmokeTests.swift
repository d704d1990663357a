import Testing
@testable import PIMAuth

struct PIMAuthSmokeTests {
    @Test func moduleLinks() {
        #expect(!"PIMAuth".isEmpty)
    }
}
