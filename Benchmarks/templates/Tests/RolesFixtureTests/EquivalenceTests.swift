import Testing
import RolesFixture

struct EquivalenceTests {
    @Test func pimTemplatesRendersThePeerPageByteForByteApartFromWhitespace() throws {
        let r = try RolesRenderers()
        let mustache = RolesRenderers.withoutWhitespace(r.mustacheParent())
        #expect(RolesRenderers.withoutWhitespace(try r.pimString()) == mustache)
        #expect(RolesRenderers.withoutWhitespace(r.mustacheMirror()) == mustache)
        #expect(r.page.rows.count == 25)
    }
}
