/// A template file as parsed: nodes carry source offsets and, for outputs, the escaping mode
/// the HTML context decided. Includes, layouts and names are resolved later by the linker.
indirect enum Node: Sendable {
    case text([UInt8])
    case output(Expr, EscapeMode, offset: Int)
    case raw(Expr, offset: Int)
    /// `if` / `elif` arms in order, then the `else` nodes (empty when there is none).
    case branches([(Expr, [Node])], otherwise: [Node])
    case loop(variable: String, sequence: Expr, body: [Node], empty: [Node], offset: Int)
    case include(String, offset: Int)
    case block(String, [Node], offset: Int)
}

struct ParsedTemplate: Sendable {
    let name: String
    let source: SourceText
    /// The layout named by `{% extends %}` and where.
    let extends: (name: String, offset: Int)?
    let nodes: [Node]
    /// Every block defined in this file (also nested ones), by name.
    let blocks: [String: [Node]]
}
