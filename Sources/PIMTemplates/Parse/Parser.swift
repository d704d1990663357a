/// Turns lexer tokens into nodes, tracking the HTML context of the static text so every output
/// gets its escaping mode (or is refused) at parse time.
struct Parser {
    let name: String
    let source: SourceText
    private var tokens: [LexToken] = []
    private var pos = 0
    private var context = HTMLContext()
    private var blocks: [String: [Node]] = [:]
    private var extends: (name: String, offset: Int)?

    init(name: String, source: SourceText) {
        self.name = name
        self.source = source
    }

    /// Keyword of a tag that ends a body, with its argument bytes and offset.
    private struct Terminator {
        let keyword: String
        let args: ArraySlice<UInt8>
        let offset: Int
    }

    mutating func parse() throws(TemplateError) -> ParsedTemplate {
        tokens = try Lexer(source: source).tokens()
        let (nodes, terminator) = try parseNodes(until: [], topLevel: true)
        if let terminator {
            throw source.error(.syntax, terminator.offset, "unexpected '{% \(terminator.keyword) %}': nothing to close")
        }
        try requireText(at: source.bytes.count, "the template ends")
        return ParsedTemplate(name: name, source: source, extends: extends, nodes: nodes, blocks: blocks)
    }

    /// Includes and blocks are parsed on their own starting in HTML text; they may stand in
    /// text or in `<title>`/`<textarea>`, where the same escaping is exactly as safe.
    private func requireText(at offset: Int, _ what: String, allowRCDATA: Bool = false) throws(TemplateError) {
        guard context.isText || (allowRCDATA && context.state == .rcdata) else {
            throw source.error(.unsafeContext, offset, "\(what) \(context.summary); expected HTML text (close the tag, attribute or element first)")
        }
    }

    /// Parses nodes until one of the keywords in `terminators` (returned) or the end of input (nil).
    private mutating func parseNodes(until terminators: Set<String>, topLevel: Bool = false) throws(TemplateError) -> ([Node], Terminator?) {
        var nodes: [Node] = []
        while pos < tokens.count {
            let token = tokens[pos]
            pos += 1
            switch token {
            case .text(let bytes, let offset):
                if topLevel, extends != nil, bytes.contains(where: { !isSpace($0) }) {
                    throw source.error(.syntax, offset, "expected only {% block %}s after {% extends %}, found text")
                }
                try context.feed(bytes, at: offset, in: source)
                if !nodes.isEmpty, case .text(let previous) = nodes[nodes.count - 1] {
                    nodes[nodes.count - 1] = .text(previous + bytes)
                } else {
                    nodes.append(.text(bytes))
                }
            case .output(let body, let offset):
                if topLevel, extends != nil {
                    throw source.error(.syntax, offset, "expected only {% block %}s after {% extends %}, found an output")
                }
                nodes.append(try parseOutput(body, offset: offset))
            case .tag(let body, let offset):
                let (keyword, args, keywordOffset) = splitTag(body, offset: offset)
                if terminators.contains(keyword) {
                    return (nodes, Terminator(keyword: keyword, args: args, offset: keywordOffset))
                }
                if topLevel, extends != nil, keyword != "block" {
                    throw source.error(.syntax, keywordOffset, "expected only {% block %}s after {% extends %}, found '\(keyword)'")
                }
                if keyword == "extends" {
                    guard topLevel, extends == nil, nodes.allSatisfy(\.isBlankText) else {
                        throw source.error(.syntax, keywordOffset, "{% extends %} must come first in a template")
                    }
                    nodes.removeAll()
                    extends = (try stringArgument(args, offset: keywordOffset, of: "extends"), keywordOffset)
                    continue
                }
                nodes.append(try parseTag(keyword, args: args, offset: keywordOffset))
            }
        }
        return (nodes, nil)
    }

    private func splitTag(_ body: ArraySlice<UInt8>, offset: Int) -> (String, ArraySlice<UInt8>, Int) {
        var i = body.startIndex
        while i < body.endIndex, isSpace(body[i]) { i += 1 }
        let start = i
        while i < body.endIndex, isIdentByte(body[i]) { i += 1 }
        return (String(decoding: body[start..<i], as: UTF8.self), body[i...], offset + (start - body.startIndex))
    }

    private mutating func parseOutput(_ body: ArraySlice<UInt8>, offset: Int) throws(TemplateError) -> Node {
        var parser = try ExprParser(source: source, bytes: body, offset: offset)
        var raw = false
        if case .ident("raw") = parser.current {
            switch parser.tokens[parser.pos + 1].0 {
            case .ident, .string, .int, .lparen: raw = true; parser.advance()
            default: break
            }
        }
        let exprOffset = parser.offset
        let expr = try parser.parseExpression()
        try parser.expectEnd("'}}' after the expression")
        var ctx = context
        let mode = try ctx.output(raw: raw, at: exprOffset, in: source)
        context = ctx
        return raw ? .raw(expr, offset: exprOffset) : .output(expr, mode, offset: exprOffset)
    }

    private func parseCondition(_ args: ArraySlice<UInt8>, offset: Int, keyword: String) throws(TemplateError) -> Expr {
        var parser = try ExprParser(source: source, bytes: args, offset: offset)
        if parser.current == .end {
            throw source.error(.syntax, offset, "expected a condition after '\(keyword)'")
        }
        let expr = try parser.parseExpression()
        try parser.expectEnd("'%}' after the condition of '\(keyword)'")
        return expr
    }

    private func stringArgument(_ args: ArraySlice<UInt8>, offset: Int, of keyword: String) throws(TemplateError) -> String {
        var parser = try ExprParser(source: source, bytes: args, offset: offset)
        guard case .string(let value) = parser.current, !value.isEmpty else {
            throw source.error(.syntax, parser.offset, "expected a quoted template name after '\(keyword)'")
        }
        parser.advance()
        try parser.expectEnd("'%}' after the template name")
        return value
    }

    private mutating func parseTag(_ keyword: String, args: ArraySlice<UInt8>, offset: Int) throws(TemplateError) -> Node {
        switch keyword {
        case "if": return try parseIf(args, offset: offset)
        case "for": return try parseFor(args, offset: offset)
        case "include":
            try requireText(at: offset, "{% include %} stands", allowRCDATA: true)
            return .include(try stringArgument(args, offset: offset, of: "include"), offset: offset)
        case "block": return try parseBlock(args, offset: offset)
        case "elif", "else", "end", "empty":
            throw source.error(.syntax, offset, "unexpected '{% \(keyword) %}': no open block expects it here")
        case "":
            throw source.error(.syntax, offset, "expected a tag name (if, for, include, extends, block, …)")
        default:
            throw source.error(.syntax, offset, "unknown tag '\(keyword)'; expected if, elif, else, for, empty, end, include, extends or block")
        }
    }

    private func unclosed(_ keyword: String, _ offset: Int) -> TemplateError {
        source.error(.syntax, source.bytes.count, "expected '{% end %}' to close the '\(keyword)' opened at \(source.location(offset).line):\(source.location(offset).column)")
    }

    private mutating func parseIf(_ args: ArraySlice<UInt8>, offset: Int) throws(TemplateError) -> Node {
        let start = context
        var arms: [(Expr, [Node])] = []
        var ends: [HTMLContext] = []
        var condition = try parseCondition(args, offset: offset, keyword: "if")
        var otherwise: [Node] = []
        while true {
            context = start
            let (body, terminator) = try parseNodes(until: ["elif", "else", "end"])
            guard let terminator else { throw unclosed("if", offset) }
            arms.append((condition, body))
            ends.append(context)
            if terminator.keyword == "elif" {
                condition = try parseCondition(terminator.args, offset: terminator.offset, keyword: "elif")
                continue
            }
            if terminator.keyword == "else" {
                try expectNoArguments(terminator)
                context = start
                let (elseBody, elseEnd) = try parseNodes(until: ["end"])
                guard let elseEnd else { throw unclosed("if", offset) }
                try expectNoArguments(elseEnd)
                otherwise = elseBody
                ends.append(context)
            } else {
                try expectNoArguments(terminator)
                ends.append(start)
            }
            break
        }
        context = try merged(ends, offset: offset, what: "the branches of this 'if'")
        return .branches(arms, otherwise: otherwise)
    }

    private func expectNoArguments(_ t: Terminator) throws(TemplateError) {
        guard t.args.allSatisfy(isSpace) else {
            throw source.error(.syntax, t.offset, "expected '%}' right after '\(t.keyword)'")
        }
    }

    private func merged(_ contexts: [HTMLContext], offset: Int, what: String) throws(TemplateError) -> HTMLContext {
        var result = contexts[0]
        for other in contexts.dropFirst() {
            guard let m = HTMLContext.merge(result, other) else {
                throw source.error(.unsafeContext, offset, "\(what) end in different HTML contexts (\(result.summary) vs \(other.summary)); expected each to leave the HTML where it started")
            }
            result = m
        }
        return result
    }

    private mutating func parseFor(_ args: ArraySlice<UInt8>, offset: Int) throws(TemplateError) -> Node {
        var parser = try ExprParser(source: source, bytes: args, offset: offset)
        guard case .ident(let variable) = parser.current, !["in", "loop", "and", "or", "not", "true", "false", "null", "raw"].contains(variable) else {
            throw source.error(.syntax, parser.offset, "expected a loop variable name after 'for' (not a keyword or 'loop')")
        }
        parser.advance()
        guard parser.accept(word: "in") else { throw source.error(.syntax, parser.offset, "expected 'in' after the loop variable") }
        if parser.current == .end { throw source.error(.syntax, parser.offset, "expected the list to loop over after 'in'") }
        let sequence = try parser.parseExpression()
        try parser.expectEnd("'%}' after the list of 'for'")

        let start = context
        let (body, terminator) = try parseNodes(until: ["empty", "end"])
        guard let terminator else { throw unclosed("for", offset) }
        try expectNoArguments(terminator)
        // The body may run many times: it must leave the context no less careful than it found it.
        let afterBody = try merged([start, context], offset: offset, what: "the body of this 'for'")
        guard afterBody == start else {
            throw source.error(.unsafeContext, offset, "the body of this 'for' changes the HTML context (\(start.summary) → \(context.summary)); expected it to leave the HTML where it started")
        }
        var empty: [Node] = []
        if terminator.keyword == "empty" {
            context = start
            let (emptyBody, end) = try parseNodes(until: ["end"])
            guard let end else { throw unclosed("for", offset) }
            try expectNoArguments(end)
            empty = emptyBody
            context = try merged([start, context], offset: offset, what: "the body and the 'empty' branch of this 'for'")
        } else {
            context = start
        }
        return .loop(variable: variable, sequence: sequence, body: body, empty: empty, offset: offset)
    }

    private mutating func parseBlock(_ args: ArraySlice<UInt8>, offset: Int) throws(TemplateError) -> Node {
        var parser = try ExprParser(source: source, bytes: args, offset: offset)
        guard case .ident(let blockName) = parser.current else {
            throw source.error(.syntax, parser.offset, "expected a block name after 'block'")
        }
        parser.advance()
        try parser.expectEnd("'%}' after the block name")
        try requireText(at: offset, "{% block %} stands", allowRCDATA: true)
        let start = context
        guard blocks[blockName] == nil else {
            throw source.error(.syntax, offset, "block '\(blockName)' is defined twice in this template")
        }
        let (body, terminator) = try parseNodes(until: ["end"])
        guard let terminator else { throw unclosed("block", offset) }
        try expectNoArguments(terminator)
        guard context == start else {
            throw source.error(.unsafeContext, terminator.offset, "block '\(blockName)' ends \(context.summary); expected it to end where it started (\(start.summary))")
        }
        blocks[blockName] = body
        return .block(blockName, body, offset: offset)
    }
}

extension Node {
    var isBlankText: Bool {
        if case .text(let b) = self { return b.allSatisfy(isSpace) }
        return false
    }
}
