import Foundation
import Testing
@testable import PIMTemplates

struct ScaleTests {
    @Test func deeplyNestedConstructsCompileAndRender() throws {
        let depth = 200
        var page = ""
        for i in 0..<depth { page += "{% if a %}<div>{% for x\(i) in xs %}" }
        page += "{{ x\(depth - 1) }}"
        for _ in 0..<depth { page += "{% end %}</div>{% end %}" }
        let html = try render(page, ["a": true, "xs": [7]])
        #expect(html == String(repeating: "<div>", count: depth) + "7" + String(repeating: "</div>", count: depth))
    }

    @Test func deepIncludeChainsResolve() throws {
        var sources: [String: String] = ["page": "{% include \"p0\" %}"]
        for i in 0..<100 { sources["p\(i)"] = "(\(i){% include \"p\(i + 1)\" %})" }
        sources["p100"] = "end"
        let html = try render(sources)
        #expect(html.hasPrefix("(0(1(2") && html.hasSuffix("end" + String(repeating: ")", count: 100)))
    }

    @Test func deeplyNestedExpressionsParse() throws {
        let expr = String(repeating: "(not ", count: 100) + "a" + String(repeating: ")", count: 100)
        #expect(try render("{% if \(expr) %}even{% else %}odd{% end %}", ["a": true]) == "even")
    }

    @Test func largeLoopsRenderEveryRow() throws {
        let n = 100_000
        let rows = TemplateValue.list((0..<n).map { .dict(["id": .int($0), "name": .string("r<\($0)>")]) })
        let html = try render("{% for r in rows %}<li data-i=\"{{ loop.index }}\">{{ r.id }}:{{ r.name }}</li>{% end %}", ["rows": rows])
        #expect(html.components(separatedBy: "<li ").count - 1 == n)
        #expect(html.hasSuffix("<li data-i=\"100000\">99999:r&lt;99999&gt;</li>"))
    }

    @Test func concurrentRendersOfOneTemplateAgree() async throws {
        let set = try TemplateSet(sources: ["page": "{% for r in rows %}{{ r }}{% if not loop.last %},{% end %}{% end %}"])
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for t in 0..<16 {
                group.addTask { try set.render("page", ["rows": .list((0..<1000).map { .int($0 + t) })], now: fixedNow) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results).count == 16)
        #expect(results.allSatisfy { $0.split(separator: ",").count == 1000 })
    }
}
