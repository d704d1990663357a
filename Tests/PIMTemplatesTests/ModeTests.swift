import Foundation
import Synchronization
import Testing
@testable import PIMTemplates

/// Collects logger output across threads.
final class LogSink: Sendable {
    private let lines = Mutex<[String]>([])
    var logger: @Sendable (String) -> Void { { line in self.lines.withLock { $0.append(line) } } }
    var all: [String] { lines.withLock { $0 } }
}

struct ModeTests {
    @Test func unknownVariableIsAnErrorWithPositionInStrictMode() {
        #expect {
            try render("<p>\n  {{ user.nmae }}</p>", ["user": ["name": "x"]])
        } throws: { error in
            let e = error as? TemplateError
            return e?.kind == .render && e?.location?.description == "page.html:2:6" && e?.message == "unknown variable 'user.nmae'"
        }
    }

    @Test func unknownVariableRendersEmptyAndLogsInProduction() throws {
        let sink = LogSink()
        let html = try render(["page": "<p>{{ missing.deep }}|{{ secret }}</p>"], "page", ["secret": "hunter2", "x": 1], mode: .production, logger: sink.logger)
        #expect(html == "<p>|hunter2</p>")
        #expect(sink.all == ["template warning: page.html:1:7: unknown variable 'missing.deep'"])
    }

    @Test func productionNeverLogsValues() throws {
        let sink = LogSink()
        _ = try render(["page": "{{ raw pw }}{% for x in pw %}{% end %}{{ pw | date(\"HH\") }}"], "page", ["pw": "s3cr3t-value"], mode: .production, logger: sink.logger)
        #expect(sink.all.count == 3)
        #expect(sink.all.allSatisfy { !$0.contains("s3cr3t") })
    }

    @Test func unknownVariablesInConditionsAndLoops() throws {
        #expect(throws: TemplateError.self) { try render("{% if nope %}x{% end %}") }
        #expect(throws: TemplateError.self) { try render("{% for x in nope %}x{% end %}") }
        #expect(try render("{% if nope %}x{% else %}y{% end %}", mode: .production) == "y")
        #expect(try render("{% for x in nope %}x{% empty %}e{% end %}", mode: .production) == "e")
    }

    @Test func defaultAcceptsMissingVariablesEvenInStrictMode() throws {
        #expect(try render("{{ nope | default(\"–\") }}|{{ e | default(\"–\") }}|{{ z | default(\"–\") }}", ["e": "", "z": 0]) == "–|–|0")
        #expect(try render("{{ a.b.c | default(d) }}", ["d": "fallback"]) == "fallback")
    }

    @Test func wrongKindsAreErrorsInStrictModeAndEmptyInProduction() throws {
        for page in ["{{ l }}", "{{ d }}", "{% for x in s %}{% end %}", "{{ s | relative }}", "{{ s | date(\"HH\") }}", "{{ l | lower }}", "{% if s < n %}{% end %}", "{{ loop }}"] {
            #expect(throws: TemplateError.self, "\(page)") { try render(page, ["l": [1], "d": ["a": 1], "s": "x", "n": 1]) }
            #expect(try render(page, ["l": [1], "d": ["a": 1], "s": "x", "n": 1], mode: .production) == "", "\(page)")
        }
    }

    @Test func unknownTemplateNameThrowsInBothModes() throws {
        let set = try TemplateSet(sources: ["a": "x"], options: .init(mode: .production))
        #expect(throws: TemplateError.self) { try set.render("b", [:], now: fixedNow) }
    }
}
