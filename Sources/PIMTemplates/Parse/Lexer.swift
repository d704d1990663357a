/// Splits a template into static text, `{{ … }}` outputs and `{% … %}` tags; comments are
/// dropped. Whitespace control (`{{-`, `-}}`, …) is applied here, so later stages (and the
/// HTML context tracking) see the text exactly as it will be emitted.
enum LexToken: Sendable {
    /// Static text bytes; `offset` is where the text starts in the source.
    case text([UInt8], offset: Int)
    /// The inside of `{{ … }}` (without delimiters and trim markers).
    case output(ArraySlice<UInt8>, offset: Int)
    /// The inside of `{% … %}`.
    case tag(ArraySlice<UInt8>, offset: Int)
}

struct Lexer {
    let source: SourceText

    func tokens() throws(TemplateError) -> [LexToken] {
        let b = source.bytes
        var tokens: [LexToken] = []
        var textStart = 0
        var trimNextText = false
        var i = 0

        func flushText(upTo end: Int, trimTrailing: Bool) {
            var start = textStart
            var stop = end
            if trimNextText { while start < stop, isSpace(b[start]) { start += 1 } }
            if trimTrailing { while stop > start, isSpace(b[stop - 1]) { stop -= 1 } }
            if start < stop { tokens.append(.text(Array(b[start..<stop]), offset: start)) }
        }

        while i + 1 < b.count {
            guard b[i] == UInt8(ascii: "{") else { i += 1; continue }
            let kind = b[i + 1]
            guard kind == UInt8(ascii: "{") || kind == UInt8(ascii: "%") || kind == UInt8(ascii: "#") else {
                i += 1
                continue
            }
            let open = i
            var bodyStart = i + 2
            let trimBefore = bodyStart < b.count && b[bodyStart] == UInt8(ascii: "-")
            if trimBefore { bodyStart += 1 }
            flushText(upTo: open, trimTrailing: trimBefore)

            let closeChar: UInt8 = kind == UInt8(ascii: "{") ? UInt8(ascii: "}") : kind
            guard let close = findClose(from: bodyStart, closeChar: closeChar, skipStrings: kind != UInt8(ascii: "#")) else {
                let expected = kind == UInt8(ascii: "{") ? "}}" : kind == UInt8(ascii: "%") ? "%}" : "#}"
                throw source.error(.syntax, open, "expected '\(expected)' to close the '{\(Character(Unicode.Scalar(kind)))' opened here")
            }
            var bodyEnd = close
            let trimAfter = bodyEnd > bodyStart && b[bodyEnd - 1] == UInt8(ascii: "-")
            if trimAfter { bodyEnd -= 1 }
            if kind == UInt8(ascii: "{") {
                tokens.append(.output(b[bodyStart..<bodyEnd], offset: bodyStart))
            } else if kind == UInt8(ascii: "%") {
                tokens.append(.tag(b[bodyStart..<bodyEnd], offset: bodyStart))
            }
            i = close + 2
            textStart = i
            trimNextText = trimAfter
        }
        flushText(upTo: b.count, trimTrailing: false)
        return tokens
    }

    /// The offset of the closing `}}` / `%}` / `#}`, skipping string literals in expressions.
    private func findClose(from start: Int, closeChar: UInt8, skipStrings: Bool) -> Int? {
        let b = source.bytes
        var i = start
        while i + 1 < b.count {
            let c = b[i]
            if skipStrings, c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                var j = i + 1
                while j < b.count, b[j] != c {
                    if b[j] == UInt8(ascii: "\\") { j += 1 }
                    j += 1
                }
                i = j + 1
                continue
            }
            if c == closeChar, b[i + 1] == UInt8(ascii: "}") { return i }
            i += 1
        }
        return nil
    }
}

@inline(__always)
func isSpace(_ c: UInt8) -> Bool {
    c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C
}
