import Foundation

/// The compiled form rendering walks: static text as ready UTF-8 byte chunks, paths resolved to
/// a scope (root value, or a loop slot known at compile time), filters checked and bound.

/// Where a path starts.
enum PathRoot: Sendable {
    /// A name looked up in the render call's root value.
    case global(String)
    /// The variable of the loop at this slot (0 = outermost).
    case local(Int)
    /// `loop.property` of the loop at this slot; nil for `loop` alone (a render-time problem).
    case loop(Int, LoopProperty?)
}

/// What `loop.x` asks for, resolved when linking; `unknown` stays a render-time problem.
enum LoopProperty: String, Sendable {
    case index, index0, count, first, last
    case unknown
}

indirect enum CExpr: Sendable {
    case literal(TemplateValue)
    /// `root.rest…` (for `loop.x`, `rest` starts after `x`); `dotted` and `at` are for messages only.
    case path(PathRoot, rest: [String], dotted: String, at: SourceLocation)
    /// `variable.key` of a loop variable (row cells and row conditions): one member read off
    /// the slot in place. `dotted` and `at` are for messages only.
    case member(slot: Int, key: String, dotted: String, at: SourceLocation)
    case filter(CExpr, CFilter, at: SourceLocation)
    case not(CExpr)
    case and(CExpr, CExpr)
    case or(CExpr, CExpr)
    case compare(CExpr, CompareOp, CExpr, at: SourceLocation)
}

enum TimeZoneArgument: Sendable {
    case fixed(TimeZone)
    case dynamic(CExpr)
}

enum DateFormatArgument: Sendable {
    case fixed(DatePattern)
    case dynamic(CExpr)
}

enum CFilter: Sendable {
    case date(DateFormatArgument, TimeZoneArgument)
    case relative
    case defaultValue(CExpr)
    case count
    case pluralize(singular: CExpr, plural: CExpr)
    case join(CExpr)
    case lower
    case upper
}

/// The linker's output, a tree (branch and loop bodies nested); `FlatProgram` is what renders.
indirect enum LinkedOp: Sendable {
    case bytes([UInt8])
    case output(CExpr, EscapeMode, at: SourceLocation)
    /// `{{ variable.key }}` of a loop variable, the commonest output (every cell of a table row):
    /// read off the loop slot without an `eval` call. `dotted` is for messages.
    case outputMember(slot: Int, key: String, EscapeMode, dotted: String, at: SourceLocation)
    case raw(CExpr, at: SourceLocation)
    case branches([(CExpr, [LinkedOp])], otherwise: [LinkedOp])
    case loop(slot: Int, sequence: CExpr, body: [LinkedOp], empty: [LinkedOp], at: SourceLocation)
}
