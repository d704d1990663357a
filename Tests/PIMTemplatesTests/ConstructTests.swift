import Foundation
import Testing
@testable import PIMTemplates

struct ConstructTests {
    @Test func outputsDottedPathsFromDictionariesAndObjects() throws {
        final class User: TemplateRenderable {
            func templateValue(forKey key: String) -> TemplateValue? {
                key == "name" ? "Ada" : nil
            }
        }
        let html = try render("<p>{{ user.name }} {{ team.lead.name }}</p>", ["user": .object(User()), "team": ["lead": ["name": "Grace"]]])
        #expect(html == "<p>Ada Grace</p>")
    }

    @Test func printsScalarsOfEveryKind() throws {
        let html = try render("{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}|{{ f }}", [
            "a": 42, "b": -7, "c": true, "d": 1.5, "e": .date(fixedNow), "f": nil,
        ])
        #expect(html == "42|-7|true|1.5|2026-11-25T12:00:00Z|")
    }

    @Test func printsIntegersAtTheirLimits() throws {
        let html = try render("{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}", [
            "a": .int(0), "b": .int(Int.max), "c": .int(Int.min), "d": .int(10), "e": .int(-1_000_000),
        ])
        #expect(html == "0|\(Int.max)|\(Int.min)|10|-1000000")
    }

    @Test func ifElifElseChoosesTheFirstTrueArm() throws {
        let page = "{% if n > 10 %}big{% elif n == 0 %}zero{% elif not n %}never{% else %}small{% end %}"
        #expect(try render(page, ["n": 11]) == "big")
        #expect(try render(page, ["n": 0]) == "zero")
        #expect(try render(page, ["n": 3]) == "small")
    }

    @Test func conditionsCombineAndOrNotComparisonsAndFilters() throws {
        let page = "{% if (a and not b) or rows | count >= 2 %}yes{% else %}no{% end %}"
        #expect(try render(page, ["a": true, "b": false, "rows": []]) == "yes")
        #expect(try render(page, ["a": true, "b": true, "rows": [1, 2]]) == "yes")
        #expect(try render(page, ["a": false, "b": false, "rows": [1]]) == "no")
        #expect(try render("{% if s == \"x\" and d < e %}ok{% end %}", ["s": "x", "d": .date(fixedNow), "e": .date(fixedNow + 1)]) == "ok")
        #expect(try render("{% if s != \"x\" %}ok{% else %}eq{% end %}", ["s": "x"]) == "eq")
    }

    @Test func forLoopExposesIndexFirstLastAndCount() throws {
        let page = "{% for r in roles %}[{{ loop.index }}/{{ loop.count }} {{ loop.index0 }} {{ r }}{% if loop.first %} first{% end %}{% if loop.last %} last{% end %}]{% empty %}none{% end %}"
        #expect(try render(page, ["roles": ["a", "b", "c"]]) == "[1/3 0 a first][2/3 1 b][3/3 2 c last]")
        #expect(try render(page, ["roles": []]) == "none")
        #expect(try render(page, ["roles": nil]) == "none")
    }

    @Test func nestedLoopsSeeTheirOwnLoopAndOuterVariables() throws {
        let page = "{% for g in groups %}{% for m in g.members %}{{ g.name }}:{{ m }}{{ loop.index }} {% end %}{{ loop.index }}|{% end %}"
        let html = try render(page, ["groups": [["name": "x", "members": ["a", "b"]], ["name": "y", "members": ["c"]]]])
        #expect(html == "x:a1 x:b2 1|y:c1 2|")
    }

    @Test func loopOverDictionaryVisitsValuesInKeyOrder() throws {
        #expect(try render("{% for v in d %}{{ v }}{% end %}", ["d": ["b": 2, "a": 1, "c": 3]]) == "123")
    }

    @Test func includeRendersAPartialWithTheSameVariables() throws {
        let html = try render([
            "page": "<ul>{% for r in rows %}{% include \"partials/row\" %}{% end %}</ul>",
            "partials/row": "<li>{{ r.name }}</li>",
        ], "page", ["rows": [["name": "a"], ["name": "b"]]])
        #expect(html == "<ul><li>a</li><li>b</li></ul>")
    }

    @Test func extendsFillsLayoutBlocksAndKeepsDefaults() throws {
        let sources = [
            "layout": "<title>{% block title %}Portal{% end %}</title><main>{% block content %}{% end %}</main><footer>{% block footer %}f{% end %}</footer>",
            "page": "{% extends \"layout\" %}\n{# comment #}\n{% block title %}Roles{% end %}\n{% block content %}<p>{{ n }}</p>{% end %}\n",
        ]
        #expect(try render(sources, "page", ["n": 3]) == "<title>Roles</title><main><p>3</p></main><footer>f</footer>")
    }

    @Test func layoutsCanExtendLayouts() throws {
        let sources = [
            "base": "<body>{% block body %}{% end %}</body>",
            "layout": "{% extends \"base\" %}{% block body %}<nav></nav>{% block content %}default{% end %}{% end %}",
            "page": "{% extends \"layout\" %}{% block content %}mine{% end %}",
        ]
        #expect(try render(sources, "page") == "<body><nav></nav>mine</body>")
        #expect(try render(sources, "layout") == "<body><nav></nav>default</body>")
    }

    @Test func commentsVanish() throws {
        #expect(try render("a{# {{ not parsed }} {% if %} \n #}b") == "ab")
    }

    @Test func whitespaceControlTrimsTheMarkedSide() throws {
        #expect(try render("<p>\n  {{- x -}}  \n</p>", ["x": "v"]) == "<p>v</p>")
        #expect(try render("a \n {%- if true -%} \n b \n {%- end %} c") == "ab c")
        #expect(try render("a  {#- c -#}  b") == "ab")
        #expect(try render("a  {{ x -}}  b", ["x": 1]) == "a  1b")
    }

    @Test func literalBracesCanBePrintedAsStrings() throws {
        #expect(try render("{{ \"{{\" }} x {{ '}}' }}") == "{{ x }}")
    }

    @Test func rawPrintsTrustedHTMLOnly() throws {
        let svg = TrustedHTML(unchecked: "<svg><rect/></svg>")
        #expect(try render("<div>{{ raw qr }}</div>", ["qr": .trusted(svg)]) == "<div><svg><rect/></svg></div>")
        // Trusted HTML printed without `raw` is escaped like any text.
        #expect(try render("<div>{{ qr }}</div>", ["qr": .trusted(svg)]) == "<div>&lt;svg&gt;&lt;rect/&gt;&lt;/svg&gt;</div>")
        #expect(throws: TemplateError.self) { try render("{{ raw s }}", ["s": "<b>"]) }
        #expect(try render("{{ raw s }}", ["s": "<b>"], mode: .production) == "")
    }

    @Test func aVariableNamedRawIsStillAVariable() throws {
        #expect(try render("{{ raw }}", ["raw": "<x>"]) == "&lt;x&gt;")
    }

    @Test func loopVariableShadowsRootButNotAfterTheLoop() throws {
        #expect(try render("{% for x in xs %}{{ x }}{% end %}{{ x }}", ["xs": [1, 2], "x": "root"]) == "12root")
    }
}
