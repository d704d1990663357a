import Foundation
import Testing
@testable import PIMTemplates

/// Every compile error names file, line and column, and says what was expected.
struct ErrorTests {
    func expectError(
        _ sources: [String: String], _ kind: TemplateError.Kind, _ location: String, _ fragment: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        guard let error = compileError(sources) else {
            Issue.record("expected a compile error", sourceLocation: sourceLocation)
            return
        }
        #expect(error.kind == kind, sourceLocation: sourceLocation)
        #expect(error.location?.description == location, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(fragment), "\(error)", sourceLocation: sourceLocation)
    }

    func expectError(_ page: String, _ kind: TemplateError.Kind, _ location: String, _ fragment: String,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        expectError(["page": page], kind, location, fragment, sourceLocation: sourceLocation)
    }

    @Test func unclosedDelimitersPointAtTheOpening() {
        expectError("ab\n  {{ x ", .syntax, "page.html:2:3", "expected '}}'")
        expectError("{% if x ", .syntax, "page.html:1:1", "expected '%}'")
        expectError("x\n{# never closed", .syntax, "page.html:2:1", "expected '#}'")
    }

    @Test func unclosedBlocksSayWhatToClose() {
        expectError("{% if x %}\n{% for r in rs %}", .syntax, "page.html:2:18", "to close the 'for' opened at 2:4")
        expectError("{% block b %}x", .syntax, "page.html:1:15", "to close the 'block'")
    }

    @Test func strayTagsAreErrors() {
        expectError("a {% end %}", .syntax, "page.html:1:6", "no open block expects it")
        expectError("{% else %}", .syntax, "page.html:1:4", "unexpected '{% else %}'")
        expectError("{% frobnicate %}", .syntax, "page.html:1:4", "unknown tag 'frobnicate'")
        expectError("{% %}", .syntax, "page.html:1:4", "expected a tag name")
        expectError("{% if x %}{% else y %}{% end %}", .syntax, "page.html:1:14", "expected '%}' right after 'else'")
    }

    @Test func expressionErrorsPointIntoTheExpression() {
        expectError("{{ }}", .syntax, "page.html:1:4", "expected a value")
        expectError("{{ a. }}", .syntax, "page.html:1:7", "expected a name after '.'")
        expectError("{{ a b }}", .syntax, "page.html:1:6", "expected '}}'")
        expectError("{{ a | }}", .syntax, "page.html:1:8", "expected a filter name")
        expectError("{{ a = b }}", .syntax, "page.html:1:6", "expected a comparison operator")
        expectError("{{ \"abc }}", .syntax, "page.html:1:1", "expected '}}'")
        expectError("{% if %}{% end %}", .syntax, "page.html:1:4", "expected a condition")
        expectError("{% if (a %}{% end %}", .syntax, "page.html:1:10", "expected ')'")
        expectError("{{ a ; }}", .syntax, "page.html:1:6", "unexpected character ';'")
        expectError("{{ not }}", .syntax, "page.html:1:8", "expected a value")
    }

    @Test func forSyntaxErrors() {
        expectError("{% for in xs %}{% end %}", .syntax, "page.html:1:8", "expected a loop variable")
        expectError("{% for loop in xs %}{% end %}", .syntax, "page.html:1:8", "expected a loop variable")
        expectError("{% for x of xs %}{% end %}", .syntax, "page.html:1:10", "expected 'in'")
        expectError("{% for x in %}{% end %}", .syntax, "page.html:1:13", "expected the list")
    }

    @Test func unknownFiltersAndBadArgumentsStopStartUp() {
        expectError("<p>\n {{ x | shout }}</p>", .filter, "page.html:2:9", "unknown filter 'shout'")
        expectError("{{ x | default }}", .filter, "page.html:1:8", "takes one argument")
        expectError("{{ x | count(1) }}", .filter, "page.html:1:8", "takes no arguments")
        expectError("{{ x | pluralize(\"a\") }}", .filter, "page.html:1:8", "two arguments")
        expectError("{{ d | date(\"yyyy-QQ\") }}", .filter, "page.html:1:8", "unsupported date pattern 'QQ'")
        expectError("{{ d | date(\"HH:mm\", \"Mars/Olympus\") }}", .filter, "page.html:1:8", "unknown time zone 'Mars/Olympus'")
    }

    @Test func missingIncludesAndLayoutsStopStartUp() {
        expectError(["page": "a\n  {% include \"partials/nope\" %}"], .missingTemplate, "page.html:2:6", "no template named 'partials/nope'")
        expectError(["page": "{% extends \"nolayout\" %}"], .missingTemplate, "page.html:1:4", "no layout named 'nolayout'")
        expectError(["page": "{% include \"page\" %}"], .missingTemplate, "page.html:1:4", "includes or extends itself")
        expectError(["a": "{% extends \"b\" %}", "b": "{% extends \"a\" %}", "page": ""], .missingTemplate, "b.html:1:4", "layout 'a' extends itself")
        expectError(["page": "{% include %}"], .syntax, "page.html:1:12", "expected a quoted template name")
    }

    @Test func extendsMustComeFirstAndBeFollowedByBlocksOnly() {
        expectError("x{% extends \"l\" %}", .syntax, "page.html:1:5", "must come first")
        expectError(["page": "{% extends \"l\" %}hello", "l": ""], .syntax, "page.html:1:18", "expected only {% block %}s")
        expectError(["page": "{% extends \"l\" %}{{ x }}", "l": ""], .syntax, "page.html:1:20", "expected only {% block %}s")
        expectError(["page": "{% extends \"l\" %}{% if x %}{% end %}", "l": ""], .syntax, "page.html:1:21", "expected only {% block %}s")
        expectError("{% block a %}{% end %}{% block a %}{% end %}", .syntax, "page.html:1:26", "defined twice")
    }

    @Test func positionsCountCharactersNotBytes() {
        expectError("é€😀\n ñ {{ x | nope }}", .filter, "page.html:2:11", "unknown filter")
    }

    @Test func errorDescriptionIsFileLineColumnAndMessage() {
        let error = compileError("\n\n   {{ x | nope }}")
        #expect(error?.description.hasPrefix("page.html:3:11: unknown filter 'nope'") == true)
    }
}
