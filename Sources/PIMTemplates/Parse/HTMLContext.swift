/// How an interpolated value is escaped, decided once at parse time.
enum EscapeMode: Sendable, Equatable {
    /// HTML text or a quoted attribute value: `& < > " '` become character references.
    case html
    /// The start of a URL attribute value: escaped, and neutralised when it would start a
    /// `javascript:`, `data:` or `vbscript:` URL.
    case url
}

/// In a URL attribute value, how much of the URL the template's own text has fixed so far.
/// Ordered by how careful later interpolations must be (see `HTMLContext.merge`).
enum URLPrefix: Int, Sendable, Comparable {
    /// `/ ? # :` already appeared in static text: the scheme is the template's.
    case fixed = 0
    /// Nothing yet: a value here decides the scheme and gets checked.
    case empty = 1
    /// Static text that could still be (part of) a scheme: a value here is refused.
    case staticOnly = 2
    /// A checked value came first: more values, `:` or `&` would let values build a scheme.
    case dynamic = 3

    static func < (a: URLPrefix, b: URLPrefix) -> Bool { a.rawValue < b.rawValue }
}

/// A simplified HTML tokenizer state (WHATWG HTML §13.2.5), fed the template's static text in
/// source order, so that each `{{ }}` knows where it stands. It only needs to be exact about
/// the states where a value could escape its context; everything else is refused.
struct HTMLContext: Sendable, Equatable {
    enum State: Sendable, Equatable {
        case text
        /// `<title>`, `<textarea>`: text escaping applies, but no markup can start.
        case rcdata
        /// `<script>`, `<style>` and other raw-text elements: values refused.
        case rawText
        case comment
        /// `<!…>` or `<?…>` other than a comment.
        case bogusComment
        /// Just after `<`.
        case tagOpen
        /// Just after `</`.
        case endTagOpen
        case tagName
        case beforeAttrName
        /// `nil` name: the name differs between `{% if %}` branches, so it is unknown.
        case attrName(String?)
        case afterAttrName(String?)
        case beforeAttrValue(String?)
        /// quote is `"`, `'`, or 0 for an unquoted value.
        case attrValue(String?, quote: UInt8, url: URLPrefix)
    }

    var state: State = .text
    /// Lower-cased name of the tag being read (start or end tag), or of the raw-text element.
    var tag: String = ""
    var isEndTag = false

    static let rawTextElements: Set<String> = ["script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"]
    static let rcdataElements: Set<String> = ["title", "textarea"]
    static let urlAttributes: Set<String> = [
        "href", "src", "action", "formaction", "cite", "poster", "data", "background", "xlink:href",
        "manifest", "icon", "codebase", "longdesc", "ping", "usemap", "lowsrc", "dynsrc",
    ]
    /// Attributes whose content is script, style or markup: escaping cannot make a value safe.
    static func refusedAttributeReason(_ name: String) -> String? {
        if name.hasPrefix("on") { return "an event-handler attribute ('\(name)') is JavaScript" }
        switch name {
        case "style": return "a 'style' attribute is CSS"
        case "srcset": return "a 'srcset' attribute holds several URLs that cannot be checked"
        case "srcdoc": return "a 'srcdoc' attribute is an HTML document"
        case "values", "to", "from", "by", "attributename":
            return "SVG animation attributes ('\(name)') can set an href to a javascript: URL"
        default: return nil
        }
    }

    /// Whether attribute `name` of the current tag holds a URL whose scheme must be checked.
    /// `<meta content>` counts: `http-equiv="refresh"` makes it a redirect target.
    func isURLAttribute(_ name: String) -> Bool {
        Self.urlAttributes.contains(name) || (tag == "meta" && name == "content")
    }

    var isText: Bool { state == .text }

    /// Feeds static text; `offset` is the source offset of `bytes.first` (for errors).
    mutating func feed(_ bytes: [UInt8], at offset: Int, in source: SourceText) throws(TemplateError) {
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            switch state {
            case .text:
                if c == UInt8(ascii: "<") { state = .tagOpen }
            case .rcdata, .rawText:
                // `<!--` inside <script> enters the "script data escaped" states, where a later
                // `</script>` may not end the element (WHATWG HTML §13.2.5.20-30): refuse it
                // rather than model it.
                if state == .rawText, tag == "script", c == UInt8(ascii: "<"), i + 3 < n,
                    bytes[i + 1] == UInt8(ascii: "!"), bytes[i + 2] == UInt8(ascii: "-"), bytes[i + 3] == UInt8(ascii: "-")
                {
                    throw source.error(.unsafeContext, offset + i, "'<!--' inside <script> is refused; expected plain script text")
                }
                if c == UInt8(ascii: "<"), endsRawText(bytes, at: i) {
                    state = .tagName
                    isEndTag = true
                    i += 2 + tag.utf8.count
                    continue
                }
            case .comment:
                if c == UInt8(ascii: ">"), i >= 2, bytes[i - 1] == UInt8(ascii: "-"), bytes[i - 2] == UInt8(ascii: "-") {
                    state = .text
                }
            case .bogusComment:
                if c == UInt8(ascii: ">") { state = .text }
            case .tagOpen:
                if isASCIILetter(c) {
                    state = .tagName
                    tag = String(Unicode.Scalar(lower(c)))
                    isEndTag = false
                } else if c == UInt8(ascii: "/") {
                    state = .endTagOpen
                } else if c == UInt8(ascii: "!") {
                    if i + 2 < n, bytes[i + 1] == UInt8(ascii: "-"), bytes[i + 2] == UInt8(ascii: "-") {
                        state = .comment
                        i += 3
                        continue
                    }
                    state = .bogusComment
                } else if c == UInt8(ascii: "?") {
                    state = .bogusComment
                } else {
                    state = .text
                    continue  // reprocess as text
                }
            case .endTagOpen:
                if isASCIILetter(c) {
                    state = .tagName
                    tag = String(Unicode.Scalar(lower(c)))
                    isEndTag = true
                } else if c == UInt8(ascii: ">") {
                    state = .text
                } else {
                    state = .bogusComment
                }
            case .tagName:
                if isSpace(c) || c == UInt8(ascii: "/") {
                    state = .beforeAttrName
                } else if c == UInt8(ascii: ">") {
                    endTag()
                } else {
                    tag.unicodeScalars.append(Unicode.Scalar(lower(c)))
                }
            case .beforeAttrName:
                if isSpace(c) || c == UInt8(ascii: "/") {
                } else if c == UInt8(ascii: ">") {
                    endTag()
                } else {
                    state = .attrName(String(Unicode.Scalar(lower(c))))
                }
            case .attrName(let name):
                if isSpace(c) {
                    state = .afterAttrName(name)
                } else if c == UInt8(ascii: "/") {
                    state = .beforeAttrName
                } else if c == UInt8(ascii: "=") {
                    state = .beforeAttrValue(name)
                } else if c == UInt8(ascii: ">") {
                    endTag()
                } else if var known = name {
                    known.unicodeScalars.append(Unicode.Scalar(lower(c)))
                    state = .attrName(known)
                }
            case .afterAttrName(let name):
                if isSpace(c) {
                } else if c == UInt8(ascii: "/") {
                    state = .beforeAttrName
                } else if c == UInt8(ascii: "=") {
                    state = .beforeAttrValue(name)
                } else if c == UInt8(ascii: ">") {
                    endTag()
                } else {
                    state = .attrName(String(Unicode.Scalar(lower(c))))
                }
            case .beforeAttrValue(let name):
                if isSpace(c) {
                } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    state = .attrValue(name, quote: c, url: .empty)
                } else if c == UInt8(ascii: ">") {
                    endTag()
                } else {
                    state = .attrValue(name, quote: 0, url: .empty)
                    continue
                }
            case .attrValue(let name, let quote, let url):
                if quote == 0 {
                    if isSpace(c) { state = .beforeAttrName } else if c == UInt8(ascii: ">") { endTag() }
                } else if c == quote {
                    state = .beforeAttrName
                } else if let name, isURLAttribute(name) {
                    let next = try Self.advanceURLPrefix(url, with: c, at: offset + i, in: source)
                    if next != url { state = .attrValue(name, quote: quote, url: next) }
                }
            }
            i += 1
        }
    }

    private static func advanceURLPrefix(_ p: URLPrefix, with c: UInt8, at offset: Int, in source: SourceText) throws(TemplateError) -> URLPrefix {
        switch c {
        case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"):
            return .fixed
        case UInt8(ascii: ":"), UInt8(ascii: "&"):
            if p == .dynamic {
                throw source.error(.unsafeContext, offset, "'\(Character(Unicode.Scalar(c)))' after a value in a URL attribute would let the value choose the scheme; expected '/', '?' or '#' first")
            }
            return c == UInt8(ascii: ":") ? .fixed : (p == .fixed ? .fixed : .staticOnly)
        default:
            return p == .empty ? .staticOnly : p
        }
    }

    /// `</tag` followed by whitespace, `/` or `>` at `i` ends a raw-text or RCDATA element.
    private func endsRawText(_ b: [UInt8], at i: Int) -> Bool {
        let name = Array(tag.utf8)
        guard i + 2 + name.count <= b.count, b[i + 1] == UInt8(ascii: "/") else { return false }
        for (k, ch) in name.enumerated() where lower(b[i + 2 + k]) != ch { return false }
        let after = i + 2 + name.count
        guard after < b.count else { return true }
        return isSpace(b[after]) || b[after] == UInt8(ascii: "/") || b[after] == UInt8(ascii: ">")
    }

    private mutating func endTag() {
        if !isEndTag, Self.rawTextElements.contains(tag) {
            state = .rawText
        } else if !isEndTag, Self.rcdataElements.contains(tag) {
            state = .rcdata
        } else {
            state = .text
            tag = ""
        }
        isEndTag = false
    }

    /// Decides how a `{{ }}` at this point is escaped, or refuses it; updates URL-prefix state.
    mutating func output(raw: Bool, at offset: Int, in source: SourceText) throws(TemplateError) -> EscapeMode {
        func refuse(_ why: String) -> TemplateError { source.error(.unsafeContext, offset, why) }
        switch state {
        case .text:
            return .html
        case .rcdata:
            if raw { throw refuse("'raw' is allowed only in HTML text, not inside <\(tag)>") }
            return .html
        case .rawText:
            throw refuse("values are refused inside <\(tag)>; expected the value in HTML text or a quoted attribute (pass data through a data-* attribute)")
        case .comment, .bogusComment:
            throw refuse("values are refused inside HTML comments")
        case .tagOpen, .endTagOpen, .tagName:
            throw refuse("values are refused in a tag name")
        case .beforeAttrName, .attrName, .afterAttrName:
            throw refuse("values are refused in attribute names; expected name=\"{{ value }}\"")
        case .beforeAttrValue, .attrValue(_, quote: 0, _):
            throw refuse("unquoted attribute value; expected the value inside double or single quotes")
        case .attrValue(let name, let quote, let url):
            if raw { throw refuse("'raw' is allowed only in HTML text, not in attributes") }
            guard let name else {
                throw refuse("the attribute name differs between branches, so the value's context is unknown")
            }
            if let reason = Self.refusedAttributeReason(name) { throw refuse("values are refused here: \(reason)") }
            guard isURLAttribute(name) else { return .html }
            switch url {
            case .fixed:
                return .html
            case .empty:
                state = .attrValue(name, quote: quote, url: .dynamic)
                return .url
            case .staticOnly, .dynamic:
                throw refuse("a value in URL attribute '\(name)' must come first or after '/', '?', '#' or a fixed scheme such as 'mailto:'")
            }
        }
    }

    /// The context after an `{% if %}` whose branches ended in `a` and `b`; nil when they are
    /// incompatible. Attribute-name states merge to an unknown name; URL prefixes to the most
    /// careful one.
    static func merge(_ a: HTMLContext, _ b: HTMLContext) -> HTMLContext? {
        if a == b { return a }
        guard a.tag == b.tag, a.isEndTag == b.isEndTag else { return nil }
        switch (a.state, b.state) {
        case (.attrValue(let n1, let q1, let u1), .attrValue(let n2, let q2, let u2)) where n1 == n2 && q1 == q2:
            var m = a
            m.state = .attrValue(n1, quote: q1, url: max(u1, u2))
            return m
        case (.beforeAttrName, _), (.attrName, _), (.afterAttrName, _):
            switch b.state {
            case .beforeAttrName, .attrName, .afterAttrName:
                var m = a
                m.state = .afterAttrName(nil)
                return m
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// A short description of the state, for "branches end in different contexts" errors.
    var summary: String {
        switch state {
        case .text: "HTML text"
        case .rcdata, .rawText: "inside <\(tag)>"
        case .comment, .bogusComment: "inside an HTML comment"
        case .tagOpen, .endTagOpen, .tagName, .beforeAttrName, .attrName, .afterAttrName: "inside a tag"
        case .beforeAttrValue, .attrValue: "inside an attribute value"
        }
    }
}

@inline(__always) func isASCIILetter(_ c: UInt8) -> Bool {
    (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
}

@inline(__always) func lower(_ c: UInt8) -> UInt8 {
    c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") ? c | 0x20 : c
}
