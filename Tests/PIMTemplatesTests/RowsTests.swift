import Foundation
import Testing
@testable import PIMTemplates

/// `TemplateRows`: a list whose items answer keys through it, by index.
struct RowsTests {
    final class Names: TemplateRows {
        let names: [String]
        init(_ names: [String]) { self.names = names }
        var count: Int { names.count }
        func templateValue(at index: Int, forKey key: String) -> TemplateValue? {
            switch key {
            case "name": .string(names[index])
            case "first": .bool(index == 0)
            case "tags": .list([.string("t\(index)")])
            default: nil
            }
        }
    }

    @Test func loopsAskEachRowAndAnswerLikeAList() throws {
        let page = """
            {% if rows %}{{ rows | count }} {{ rows | pluralize("row", "rows") }}:{% end %}\
            {% for r in rows %}{% if r.first %}^{% end %}{{ loop.index }}={{ r.name }}{% for t in r.tags %}[{{ t }}]{% end %}\
            {% if not loop.last %},{% end %}{% empty %}none{% end %}
            """
        #expect(try render(page, ["rows": .rows(Names(["a<b", "c"]))]) == "2 2 rows:^1=a&lt;b[t0],2=c[t1]")
        #expect(try render(page, ["rows": .rows(Names([]))]) == "none")
    }

    @Test func aRowAsAWholeValueIsAnObject() throws {
        let page = "{% for r in rows %}{% if r %}{{ r.name }}{% end %}{% for s in rows %}{% if s.name == r.name %}={% end %}{% end %};{% end %}"
        #expect(try render(page, ["rows": .rows(Names(["a", "b"]))]) == "a=;b=;")
        #expect(throws: TemplateError.self) { try render("{% for r in rows %}{{ r }}{% end %}", ["rows": .rows(Names(["a"]))]) }
        #expect(try render(#"{{ rows | join(", ") }}"#, ["rows": .rows(Names([]))]) == "")
        #expect(throws: TemplateError.self) { try render(#"{{ rows | join(", ") }}"#, ["rows": .rows(Names(["a"]))]) }
        #expect(throws: TemplateError.self) { try render("{{ rows }}", ["rows": .rows(Names(["a"]))]) }
    }

    @Test func unknownRowKeysAreUnknownVariables() throws {
        let page = "{% for r in rows %}{{ r.nope }}{% if r.gone %}x{% end %}{{ r.name.deep }}.{% end %}"
        #expect(throws: TemplateError.self) { try render(page, ["rows": .rows(Names(["a"]))]) }
        let sink = LogSink()
        let html = try render(["page": page], "page", ["rows": .rows(Names(["a", "b"]))], mode: .production, logger: sink.logger)
        #expect(html == "..")
        #expect(sink.all.count == 6)
        #expect(sink.all.first == "template warning: page.html:1:23: unknown variable 'r.nope'")
    }
}
