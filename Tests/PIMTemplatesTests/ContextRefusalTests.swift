import Testing
@testable import PIMTemplates

/// Positions where escaping cannot make a value safe are refused at parse time, with position.
struct ContextRefusalTests {
    func expectRefused(_ page: String, _ location: String, _ fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let error = compileError(page)
        #expect(error?.kind == .unsafeContext, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.location?.description == location, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
    }

    @Test func unquotedAttributesAreRefused() {
        expectRefused("<a title={{ x }}>", "page.html:1:13", "unquoted attribute value")
        expectRefused("<a title=a{{ x }}>", "page.html:1:14", "unquoted attribute value")
        expectRefused("<a\n title = {{ x }}>", "page.html:2:13", "unquoted attribute value")
    }

    @Test func tagAndAttributeNamesAreRefused() {
        expectRefused("<{{ t }}>", "page.html:1:5", "tag name")
        expectRefused("<h{{ n }}>", "page.html:1:6", "tag name")
        expectRefused("</{{ t }}>", "page.html:1:6", "tag name")
        expectRefused("<a {{ attrs }}>", "page.html:1:7", "attribute names")
        expectRefused("<a data-{{ k }}=\"1\">", "page.html:1:12", "attribute names")
    }

    @Test func scriptStyleAndOtherRawTextElementsAreRefused() {
        expectRefused("<script>var x = {{ x }};</script>", "page.html:1:20", "inside <script>")
        expectRefused("<SCRIPT type=\"text/template\">{{ x }}</SCRIPT>", "page.html:1:33", "inside <script>")
        expectRefused("<style>p { color: {{ c }} }</style>", "page.html:1:22", "inside <style>")
        expectRefused("<xmp>{{ x }}</xmp>", "page.html:1:9", "inside <xmp>")
        expectRefused("<noscript>{{ x }}</noscript>", "page.html:1:14", "inside <noscript>")
        expectRefused("<script>{% include \"p\" %}</script>", "page.html:1:12", "inside <script>")
    }

    @Test func commentsAreRefused() {
        expectRefused("<!-- {{ x }} -->", "page.html:1:9", "comments")
        expectRefused("<!DOCTYPE {{ x }}>", "page.html:1:14", "comments")
    }

    @Test func scriptAndStyleAttributesAreRefused() {
        expectRefused("<a onclick=\"go({{ x }})\">", "page.html:1:19", "event-handler")
        expectRefused("<body ONLOAD=\"{{ x }}\">", "page.html:1:18", "event-handler")
        expectRefused("<p style=\"color: {{ c }}\">", "page.html:1:21", "CSS")
        expectRefused("<img srcset=\"{{ s }} 2x\">", "page.html:1:17", "srcset")
        expectRefused("<iframe srcdoc=\"{{ s }}\">", "page.html:1:20", "HTML document")
    }

    @Test func urlValuesThatCouldBuildASchemeAreRefused() {
        expectRefused("<a href=\"java{{ x }}\">", "page.html:1:17", "must come first")
        expectRefused("<a href=\" {{ x }}\">", "page.html:1:14", "must come first")
        expectRefused("<a href=\"{{ a }}{{ b }}\">", "page.html:1:20", "must come first")
        expectRefused("<a href=\"{{ a }}:x\">", "page.html:1:17", "choose the scheme")
        expectRefused("<a href=\"{{ a }}&#58;x\">", "page.html:1:17", "choose the scheme")
        expectRefused("<a href=\"{% for p in ps %}{{ p }}{% end %}\">", "page.html:1:13", "changes the HTML context")
        expectRefused("<a href=\"{% if x %}java{% end %}{{ u }}\">", "page.html:1:36", "must come first")
    }

    @Test func svgAnimationAttributesAreRefused() {
        expectRefused("<svg><a><animate attributeName=\"href\" values=\"{{ v }}\"/></a></svg>", "page.html:1:50", "SVG animation")
        expectRefused("<svg><set to=\"{{ v }}\"/></svg>", "page.html:1:18", "SVG animation")
    }

    @Test func commentsInsideScriptAreRefused() {
        expectRefused("<script><!-- <script></script>\n</script>", "page.html:1:9", "'<!--' inside <script>")
    }

    @Test func metaContentIsAURLAttribute() throws {
        expectRefused("<meta http-equiv=\"refresh\" content=\"0;url={{ u }}\">", "page.html:1:46", "must come first")
        #expect(try render("<meta name=\"csrf\" content=\"{{ t }}\">", ["t": "ab12"]) == "<meta name=\"csrf\" content=\"ab12\">")
        #expect(try render("<meta content=\"{{ t }}\">", ["t": "javascript:x"]) == "<meta content=\"\(URLSafety.replacement)\">")
    }

    @Test func rawOnlyInText() {
        expectRefused("<a title=\"{{ raw t }}\">", "page.html:1:18", "only in HTML text")
        expectRefused("<textarea>{{ raw t }}</textarea>", "page.html:1:18", "only in HTML text")
    }

    @Test func includesAndBlocksOnlyInText() {
        expectRefused("<a title=\"{% include \"p\" %}\">", "page.html:1:14", "{% include %} stands inside an attribute value")
        expectRefused("<a {% block b %}{% end %}>", "page.html:1:7", "{% block %} stands inside a tag")
        expectRefused("{% block b %}<a title=\"{% end %}\">", "page.html:1:27", "block 'b' ends inside an attribute value")
    }

    @Test func branchesMustLeaveTheSameContext() {
        expectRefused("<a {% if x %}title=\"{% end %}y\">", "page.html:1:7", "different HTML contexts")
        expectRefused("{% if x %}<script>{% else %}<p>{% end %}", "page.html:1:4", "different HTML contexts")
        expectRefused("{% for x in xs %}<div {% end %}>", "page.html:1:4", "different HTML contexts")
        expectRefused("<a {% if x %}href{% end %}=\"{{ u }}\">", "page.html:1:32", "differs between branches")
    }

    @Test func aTemplateMustEndInText() {
        expectRefused("<p title=\"x", "page.html:1:12", "the template ends inside an attribute value")
        expectRefused("<script>", "page.html:1:9", "the template ends inside <script>")
    }
}
