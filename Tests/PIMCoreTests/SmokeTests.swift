import Testing
@testable import PIMCore

struct PIMCoreSmokeTests {
    @Test func moduleLinks() {
        #expect(!"PIMCore".isEmpty)
    }
}
