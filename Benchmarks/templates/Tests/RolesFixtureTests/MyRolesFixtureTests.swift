import Testing
import RolesFixture

struct MyRolesFixtureTests {
    @Test func myRolesFixtureRendersTheProductPageWithEveryRowEscaped() throws {
        let html = String(decoding: try MyRolesFixture().render(), as: UTF8.self)
        let name = "Ops &lt;07&gt; &amp; &quot;blue&quot; pool&#39;s &#39;db&#39;"
        #expect(html.components(separatedBy: "<label for=\"pick-").count - 1 == 25)
        #expect(html.contains(">\(name)</label>"))
        #expect(html.contains("<h1>My roles</h1>"))
    }
}
