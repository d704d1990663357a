import Testing
@testable import PIMTemplates

struct PIMTemplatesSmokeTests {
    @Test func moduleLinks() {
        #expect(!"PIMTemplates".isEmpty)
    }
}
