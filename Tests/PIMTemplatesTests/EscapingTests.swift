import Foundation
import Testing
@testable import PIMTemplates

/// Classic XSS filter-evasion payloads (OWASP XSS Filter Evasion Cheat Sheet and friends).
let hostilePayloads: [String] = [
    "<script>alert(1)</script>", "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">", "<IMG SRC=JaVaScRiPt:alert('XSS')>", "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "\"><script>alert(1)</script>", "'><svg onload=alert(1)>", "\" onmouseover=\"alert(1)", "' onfocus='alert(1)' autofocus='",
    "<img src=x onerror=alert(1)//", "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>", "<iframe src=\"javascript:alert(1)\">",
    "<svg/onload=alert(1)>", "</textarea><script>alert(1)</script>", "</title><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->", "]]><script>alert(1)</script>", "\u{0}<script>alert(1)</script>", "<scr\u{0}ipt>alert(1)</scr\u{0}ipt>",
    "\u{202E}<script>alert(1)</script>", "＜script＞alert(1)＜/script＞", "<ſcript>alert(1)</ſcript>", "%3Cscript%3Ealert(1)%3C/script%3E",
    "+ADw-script+AD4-alert(1)+ADw-/script+AD4-", "&lt;script&gt;alert(1)&lt;/script&gt;", "&#60;script&#62;", "&#x3C;script&#x3E;",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
    "<BODY ONLOAD=alert('XSS')>", "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">", "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "`-alert(1)-`", "${alert(1)}", "{{constructor.constructor('alert(1)')()}}", "\\\"; alert(1); //",
]

/// Payloads aimed at URL attributes: each must be neutralised.
let hostileURLs: [String] = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "\tjava\tscript:alert(1)", "java\nscript:alert(1)",
    "java\rscript:alert(1)", "\u{0}javascript:alert(1)", "\u{1}\u{2}\u{1F}javascript:alert(1)", "\u{C}javascript:alert(1)",
    "jav&#x09;ascript:alert(1)", "jav&#9;ascript:alert(1)", "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)",
    "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)", "javascript&colon;alert(1)", "javascript&#58;alert(1)",
    "java&Tab;script:alert(1)", "java&NewLine;script:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "DATA:text/html,<script>alert(1)</script>", " data:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)", "VBScript:msgbox(1)", "\u{FEFF}javascript:alert(1)", "java\u{200B}script:alert(1)", "java\u{00AD}script:alert(1)",
    "\u{00A0}javascript:alert(1)", "\u{2028}javascript:alert(1)", "javascript\u{0}:alert(1)", "livescript:alert(1)",
]

/// URLs that are fine and must come through unchanged (apart from escaping).
let benignURLs: [String] = [
    "https://example.com/a?b=1&c=2", "/roles/17", "mailto:ada@example.test", "?q=javascript:alert(1)", "javascript/relative.html",
    "./javascript:alert(1)", "#section", "otpauth://totp/PIM:ada?secret=ABC", "//cdn.example.test/x.js", "relative/path",
]

struct EscapingTests {
    /// The part of `html` between `prefix` and `suffix`.
    func middle(_ html: String, _ prefix: String, _ suffix: String) -> String {
        #expect(html.hasPrefix(prefix) && html.hasSuffix(suffix), "\(html)")
        return between(html, prefix, suffix)
    }

    @Test(arguments: [("<p>", "</p>"), ("<a title=\"", "\">x</a>"), ("<a title='", "'>x</a>"), ("<title>", "</title>"),
                      ("<textarea>", "</textarea>"), ("<div data-x=\"", "\"></div>"), ("<a href=\"/r/", "\">x</a>")])
    func hostilePayloadsStayInertText(prefix: String, suffix: String) throws {
        let set = try TemplateSet(sources: ["page": "\(prefix){{ x }}\(suffix)"])
        for payload in hostilePayloads {
            let inner = middle(try set.render("page", ["x": .string(payload)], now: fixedNow), prefix, suffix)
            // No markup or quote survives, and decoding gives back exactly the payload.
            #expect(try StrictDecoder.decode(inner) == payload, "\(payload)")
        }
    }

    @Test(arguments: ["<a href=\"", "<a href='", "<img src=\"", "<form action=\"", "<button formaction=\"", "<svg><a xlink:href=\"", "<A HREF=\""])
    func hostileURLsAreNeutralised(prefix: String) throws {
        let quote = String(prefix.last!)
        let set = try TemplateSet(sources: ["page": "\(prefix){{ u }}\(quote)>"])
        for url in hostileURLs {
            let inner = middle(try set.render("page", ["u": .string(url)], now: fixedNow), prefix, "\(quote)>")
            #expect(inner == URLSafety.replacement, "\(url.debugDescription) → \(inner)")
        }
        for url in benignURLs {
            let inner = middle(try set.render("page", ["u": .string(url)], now: fixedNow), prefix, "\(quote)>")
            #expect(try StrictDecoder.decode(inner) == url, "\(url)")
        }
    }

    @Test func hostilePayloadsInURLsAreEscapedToo() throws {
        for payload in hostilePayloads {
            let html = try render("<a href=\"{{ u }}\">x</a>", ["u": .string(payload)])
            let inner = middle(html, "<a href=\"", "\">x</a>")
            let decoded = try? StrictDecoder.decode(inner)
            #expect(inner == URLSafety.replacement || decoded == payload, "\(payload)")
        }
    }

    @Test func escapingCoversTheFiveCharacters() throws {
        #expect(try render("{{ x }}", ["x": "& < > \" '"]) == "&amp; &lt; &gt; &quot; &#39;")
    }

    @Test func joinEscapesElementsAndSeparator() throws {
        #expect(try render("{{ xs | join(\"<&>\") }}", ["xs": ["<a>", "b"]]) == "&lt;a&gt;&lt;&amp;&gt;b")
    }

    @Test func unicodeIsCopiedIntact() throws {
        let s = "e\u{0301} Zoë עברית \u{202E}abc\u{202C} 👩‍👩‍👧 🇩🇪 漢字 \u{FEFF}"
        #expect(try render("<p title=\"{{ s }}\">{{ s }}</p>", ["s": .string(s)]) == "<p title=\"\(s)\">\(s)</p>")
        #expect(try render("<p>é{{ s }}😀</p>", ["s": "x"]) == "<p>éx😀</p>")
    }

    @Test func interpolationAfterAFixedURLPrefixIsOnlyEscaped() throws {
        #expect(try render("<a href=\"/roles/{{ id }}\">", ["id": "javascript:alert(1)"]) == "<a href=\"/roles/javascript:alert(1)\">")
        #expect(try render("<a href=\"mailto:{{ m }}\">", ["m": "a&b"]) == "<a href=\"mailto:a&amp;b\">")
        #expect(try render("<a href=\"{{ base }}/x/{{ id }}\">", ["base": "https://h", "id": 3]) == "<a href=\"https://h/x/3\">")
        #expect(try render("<a href=\"{% if x %}/a{% else %}/b{% end %}{{ id }}\">", ["x": true, "id": 1]) == "<a href=\"/a1\">")
    }

    @Test func trustedHTMLInAURLIsCheckedLikeAnyString() throws {
        #expect(try render("<a href=\"{{ u }}\">", ["u": .trusted(TrustedHTML(unchecked: "javascript:x"))]) == "<a href=\"\(URLSafety.replacement)\">")
    }

    @Test func attributesAfterScriptAndStyleElementsWorkAgain() throws {
        let page = "<script src=\"/app.js\"></script><SCRIPT>var a = 1 < 2;</SCRIPT ><style>p{}</style><p title=\"{{ t }}\">{{ t }}</p>"
        #expect(try render(page, ["t": "<"]) == "<script src=\"/app.js\"></script><SCRIPT>var a = 1 < 2;</SCRIPT ><style>p{}</style><p title=\"&lt;\">&lt;</p>")
    }

    @Test func booleanAttributesInConditionalsAreFine() throws {
        let page = "{% for o in os %}<option value=\"{{ o }}\"{% if o == sel %} selected{% end %}>{{ o }}</option>{% end %}"
        #expect(try render(page, ["os": ["a", "b"], "sel": "b"]) == "<option value=\"a\">a</option><option value=\"b\" selected>b</option>")
    }

    @Test func rawIsGreppable() throws {
        // Documented promise: every unescaped output matches this pattern.
        let page = "{{ raw a }}{{- raw b -}}{{raw c}}"
        let regex = try Regex("\\{\\{-? *raw ")
        #expect(page.matches(of: regex).count == 3)
    }
}
