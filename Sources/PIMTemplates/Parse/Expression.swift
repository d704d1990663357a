/// Expressions inside `{{ }}` and `{% if %}`, as parsed (paths not yet resolved to scopes).
indirect enum Expr: Sendable {
    case literal(TemplateValue)
    /// `a.b.c`; `offset` points at the path in the source, for error messages.
    case path([String], offset: Int)
    case filter(Expr, FilterCall)
    case not(Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case compare(Expr, CompareOp, Expr, offset: Int)
}

enum CompareOp: String, Sendable {
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
}

/// A filter application as written: name checked against the known filters, arguments parsed.
struct FilterCall: Sendable {
    let name: String
    let args: [Expr]
    let offset: Int
}

/// A token of the expression language.
enum ExprToken: Equatable, Sendable {
    case ident(String)      // identifiers and keywords; dotted paths are split by `.dot`
    case string(String)
    case int(Int)
    case dot, pipe, comma, lparen, rparen
    case op(String)         // == != < <= > >=
    case end
}

struct ExprLexer {
    let source: SourceText
    let bytes: ArraySlice<UInt8>
    let baseOffset: Int

    /// Tokens with their source offsets.
    func tokens() throws(TemplateError) -> [(ExprToken, Int)] {
        var out: [(ExprToken, Int)] = []
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            let c = bytes[i]
            if isSpace(c) { i += 1; continue }
            let start = i
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
                while i < end, isIdentByte(bytes[i]) { i += 1 }
                out.append((.ident(String(decoding: bytes[start..<i], as: UTF8.self)), start))
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                i += 1
                while i < end, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
                guard let n = Int(String(decoding: bytes[start..<i], as: UTF8.self)) else {
                    throw source.error(.syntax, start, "expected a number")
                }
                out.append((.int(n), start))
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                i += 1
                var value: [UInt8] = []
                while i < end, bytes[i] != c {
                    if bytes[i] == UInt8(ascii: "\\"), i + 1 < end {
                        i += 1
                        switch bytes[i] {
                        case UInt8(ascii: "n"): value.append(0x0A)
                        case UInt8(ascii: "t"): value.append(0x09)
                        default: value.append(bytes[i])
                        }
                    } else {
                        value.append(bytes[i])
                    }
                    i += 1
                }
                guard i < end else { throw source.error(.syntax, start, "expected a closing quote for this string") }
                i += 1
                out.append((.string(String(decoding: value, as: UTF8.self)), start))
            case UInt8(ascii: "."): i += 1; out.append((.dot, start))
            case UInt8(ascii: "|"): i += 1; out.append((.pipe, start))
            case UInt8(ascii: ","): i += 1; out.append((.comma, start))
            case UInt8(ascii: "("): i += 1; out.append((.lparen, start))
            case UInt8(ascii: ")"): i += 1; out.append((.rparen, start))
            case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"):
                i += 1
                if i < end, bytes[i] == UInt8(ascii: "=") { i += 1 }
                let op = String(decoding: bytes[start..<i], as: UTF8.self)
                guard CompareOp(rawValue: op) != nil else {
                    throw source.error(.syntax, start, "expected a comparison operator (== != < <= > >=), found '\(op)'")
                }
                out.append((.op(op), start))
            default:
                throw source.error(.syntax, start, "unexpected character '\(String(decoding: bytes[start...start], as: UTF8.self))' in expression")
            }
        }
        out.append((.end, end))
        return out
    }
}

@inline(__always)
func isIdentByte(_ c: UInt8) -> Bool {
    (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
}

/// Recursive descent over expression tokens:
/// or := and ('or' and)* ; and := not ('and' not)* ; not := 'not' not | cmp ;
/// cmp := piped (op piped)? ; piped := primary ('|' filter)* ; primary := literal | path | '(' or ')'
struct ExprParser {
    let source: SourceText
    var tokens: [(ExprToken, Int)]
    var pos = 0

    init(source: SourceText, bytes: ArraySlice<UInt8>, offset: Int) throws(TemplateError) {
        self.source = source
        self.tokens = try ExprLexer(source: source, bytes: bytes, baseOffset: offset).tokens()
    }

    var current: ExprToken { tokens[pos].0 }
    var offset: Int { tokens[pos].1 }

    mutating func advance() { if pos < tokens.count - 1 { pos += 1 } }

    mutating func expect(_ token: ExprToken, _ what: String) throws(TemplateError) {
        guard current == token else { throw source.error(.syntax, offset, "expected \(what)") }
        advance()
    }

    mutating func expectEnd(_ context: String) throws(TemplateError) {
        guard current == .end else { throw source.error(.syntax, offset, "expected \(context)") }
    }

    /// Consumes the identifier `word` if it is next.
    mutating func accept(word: String) -> Bool {
        if case .ident(word) = current { advance(); return true }
        return false
    }

    mutating func parseExpression() throws(TemplateError) -> Expr {
        var lhs = try parseAnd()
        while accept(word: "or") { lhs = .or(lhs, try parseAnd()) }
        return lhs
    }

    mutating func parseAnd() throws(TemplateError) -> Expr {
        var lhs = try parseNot()
        while accept(word: "and") { lhs = .and(lhs, try parseNot()) }
        return lhs
    }

    mutating func parseNot() throws(TemplateError) -> Expr {
        if accept(word: "not") { return .not(try parseNot()) }
        let lhs = try parsePiped()
        if case .op(let op) = current, let cmp = CompareOp(rawValue: op) {
            let at = offset
            advance()
            return .compare(lhs, cmp, try parsePiped(), offset: at)
        }
        return lhs
    }

    mutating func parsePiped() throws(TemplateError) -> Expr {
        var value = try parsePrimary()
        while current == .pipe {
            advance()
            let at = offset
            guard case .ident(let name) = current else {
                throw source.error(.syntax, at, "expected a filter name after '|'")
            }
            advance()
            var args: [Expr] = []
            if current == .lparen {
                advance()
                if current != .rparen {
                    args.append(try parsePiped())
                    while current == .comma {
                        advance()
                        args.append(try parsePiped())
                    }
                }
                try expect(.rparen, "')' or ',' in the arguments of filter '\(name)'")
            }
            value = .filter(value, FilterCall(name: name, args: args, offset: at))
        }
        return value
    }

    mutating func parsePrimary() throws(TemplateError) -> Expr {
        let at = offset
        switch current {
        case .string(let s): advance(); return .literal(.string(s))
        case .int(let n): advance(); return .literal(.int(n))
        case .lparen:
            advance()
            let inner = try parseExpression()
            try expect(.rparen, "')'")
            return inner
        case .ident(let name):
            switch name {
            case "true": advance(); return .literal(.bool(true))
            case "false": advance(); return .literal(.bool(false))
            case "null": advance(); return .literal(.null)
            case "and", "or", "not", "in":
                throw source.error(.syntax, at, "expected a value, found keyword '\(name)'")
            default: break
            }
            advance()
            var parts = [name]
            while current == .dot {
                advance()
                guard case .ident(let part) = current else {
                    throw source.error(.syntax, offset, "expected a name after '.'")
                }
                parts.append(part)
                advance()
            }
            return .path(parts, offset: at)
        case .end:
            throw source.error(.syntax, at, "expected a value (a name, string, number, true, false or null)")
        default:
            throw source.error(.syntax, at, "expected a value (a name, string, number, true, false or null)")
        }
    }
}
