import Foundation

/// Resolves layouts, blocks and includes of parsed templates into one flat program per
/// template, binds paths to scopes and filters to their implementation. Every failure is a
/// start-up error with the position of the offending tag.
struct Linker {
    let parsed: [String: ParsedTemplate]

    /// Names of templates being expanded (include / extends cycles).
    private var expanding: [String] = []
    /// Loop variables in lexical scope, outermost first (index = slot).
    private var scope: [String] = []
    /// Block overrides of the template being linked, most-derived first wins.
    private var overrides: [String: (ParsedTemplate, [Node])] = [:]
    private var blocksExpanding: Set<String> = []
    /// Deepest loop nesting seen: the render state's slot count.
    private(set) var maxSlots = 0

    init(parsed: [String: ParsedTemplate]) { self.parsed = parsed }

    mutating func link(_ name: String) throws(TemplateError) -> [LinkedOp] {
        maxSlots = 0
        return coalesce(try expand(name, from: nil))
    }

    /// The ops of template `name` with its layout chain applied; `from` is the include site.
    private mutating func expand(_ name: String, from site: SourceLocation?) throws(TemplateError) -> [LinkedOp] {
        guard let template = parsed[name] else {
            throw TemplateError(.missingTemplate, at: site, "no template named '\(name)'; expected a file '\(name).html'")
        }
        guard !expanding.contains(name) else {
            throw TemplateError(.missingTemplate, at: site, "template '\(name)' includes or extends itself (\((expanding + [name]).joined(separator: " → ")))")
        }
        expanding.append(name)
        defer { expanding.removeLast() }

        // Walk the layout chain; the most derived definition of each block wins.
        let savedOverrides = overrides
        defer { overrides = savedOverrides }
        var newOverrides: [String: (ParsedTemplate, [Node])] = [:]
        var current = template
        var chain: Set<String> = [name]
        while let parent = current.extends {
            for (block, body) in current.blocks where newOverrides[block] == nil {
                newOverrides[block] = (current, body)
            }
            let site = current.source.location(parent.offset)
            guard let layout = parsed[parent.name] else {
                throw TemplateError(.missingTemplate, at: site, "no layout named '\(parent.name)'; expected a file '\(parent.name).html'")
            }
            guard chain.insert(parent.name).inserted else {
                throw TemplateError(.missingTemplate, at: site, "layout '\(parent.name)' extends itself")
            }
            current = layout
        }
        // An included page's blocks do not leak into the includer, nor the includer's into it.
        overrides = newOverrides
        return try compile(current.nodes, in: current)
    }

    private mutating func compile(_ nodes: [Node], in t: ParsedTemplate) throws(TemplateError) -> [LinkedOp] {
        var ops: [LinkedOp] = []
        ops.reserveCapacity(nodes.count)
        for node in nodes {
            switch node {
            case .text(let bytes):
                ops.append(.bytes(bytes))
            case .output(let expr, let mode, let offset):
                let compiled = try compile(expr, in: t)
                let at = t.source.location(offset)
                if case .member(let slot, let key, let dotted, _) = compiled {
                    ops.append(.outputMember(slot: slot, key: key, mode, dotted: dotted, at: at))
                } else {
                    ops.append(.output(compiled, mode, at: at))
                }
            case .raw(let expr, let offset):
                ops.append(.raw(try compile(expr, in: t), at: t.source.location(offset)))
            case .branches(let arms, let otherwise):
                var compiled: [(CExpr, [LinkedOp])] = []
                for (condition, body) in arms {
                    compiled.append((try compile(condition, in: t), coalesce(try compile(body, in: t))))
                }
                ops.append(.branches(compiled, otherwise: coalesce(try compile(otherwise, in: t))))
            case .loop(let variable, let sequence, let body, let empty, let offset):
                let seq = try compile(sequence, in: t)
                let emptyOps = coalesce(try compile(empty, in: t))
                let slot = scope.count
                scope.append(variable)
                maxSlots = max(maxSlots, scope.count)
                let bodyOps = coalesce(try compile(body, in: t))
                scope.removeLast()
                ops.append(.loop(slot: slot, sequence: seq, body: bodyOps, empty: emptyOps, at: t.source.location(offset)))
            case .include(let name, let offset):
                ops.append(contentsOf: try expand(name, from: t.source.location(offset)))
            case .block(let name, let body, let offset):
                guard blocksExpanding.insert(name).inserted else {
                    throw TemplateError(.syntax, at: t.source.location(offset), "block '\(name)' is nested in itself")
                }
                defer { blocksExpanding.remove(name) }
                if let (owner, override) = overrides[name] {
                    ops.append(contentsOf: try compile(override, in: owner))
                } else {
                    ops.append(contentsOf: try compile(body, in: t))
                }
            }
        }
        return ops
    }

    /// Merges adjacent static chunks (after includes and blocks were spliced in).
    private func coalesce(_ ops: [LinkedOp]) -> [LinkedOp] {
        var out: [LinkedOp] = []
        out.reserveCapacity(ops.count)
        for op in ops {
            if case .bytes(let b) = op, let last = out.last, case .bytes(let a) = last {
                out[out.count - 1] = .bytes(a + b)
            } else if case .bytes(let b) = op, b.isEmpty {
                continue
            } else {
                out.append(op)
            }
        }
        return out
    }

    private func compile(_ expr: Expr, in t: ParsedTemplate) throws(TemplateError) -> CExpr {
        switch expr {
        case .literal(let v):
            return .literal(v)
        case .path(let parts, let offset):
            let first = parts[0]
            let root: PathRoot
            var rest = parts.dropFirst()
            if let slot = scope.lastIndex(of: first) {
                root = .local(slot)
            } else if first == "loop", !scope.isEmpty {
                let property = rest.popFirst().map { LoopProperty(rawValue: $0) ?? .unknown }
                root = .loop(scope.count - 1, property)
            } else {
                root = .global(first)
            }
            let dotted = parts.joined(separator: ".")
            if case .local(let slot) = root, rest.count == 1 {
                return .member(slot: slot, key: rest[rest.startIndex], dotted: dotted, at: t.source.location(offset))
            }
            return .path(root, rest: Array(rest), dotted: dotted, at: t.source.location(offset))
        case .filter(let input, let call):
            return .filter(try compile(input, in: t), try compile(call, in: t), at: t.source.location(call.offset))
        case .not(let e):
            return .not(try compile(e, in: t))
        case .and(let a, let b):
            return .and(try compile(a, in: t), try compile(b, in: t))
        case .or(let a, let b):
            return .or(try compile(a, in: t), try compile(b, in: t))
        case .compare(let a, let op, let b, let offset):
            return .compare(try compile(a, in: t), op, try compile(b, in: t), at: t.source.location(offset))
        }
    }

    private func compile(_ call: FilterCall, in t: ParsedTemplate) throws(TemplateError) -> CFilter {
        let at = t.source.location(call.offset)
        func arity(_ allowed: ClosedRange<Int>, _ usage: String) throws(TemplateError) {
            guard allowed.contains(call.args.count) else {
                throw TemplateError(.filter, at: at, "filter '\(call.name)' takes \(usage)")
            }
        }
        let args = try call.args.map { (e: Expr) throws(TemplateError) -> CExpr in try compile(e, in: t) }
        switch call.name {
        case "date":
            try arity(1...2, "a pattern and an optional time zone: date(\"yyyy-MM-dd HH:mm\", tz)")
            let format: DateFormatArgument
            if case .literal(.string(let pattern)) = args[0] {
                do { format = .fixed(try DatePattern(pattern)) } catch { throw TemplateError(.filter, at: at, error.message) }
            } else {
                format = .dynamic(args[0])
            }
            var zone = TimeZoneArgument.fixed(TimeZone(identifier: "UTC")!)
            if args.count == 2 {
                if case .literal(.string(let id)) = args[1] {
                    guard let tz = TimeZone(identifier: id) else {
                        throw TemplateError(.filter, at: at, "unknown time zone '\(id)'; expected an identifier such as \"Europe/Berlin\" or \"UTC\"")
                    }
                    zone = .fixed(tz)
                } else {
                    zone = .dynamic(args[1])
                }
            }
            return .date(format, zone)
        case "relative":
            try arity(0...0, "no arguments")
            return .relative
        case "default":
            try arity(1...1, "one argument: default(\"–\")")
            return .defaultValue(args[0])
        case "count":
            try arity(0...0, "no arguments")
            return .count
        case "pluralize":
            try arity(2...2, "two arguments: pluralize(\"role\", \"roles\")")
            return .pluralize(singular: args[0], plural: args[1])
        case "join":
            try arity(1...1, "one argument: join(\", \")")
            return .join(args[0])
        case "lower":
            try arity(0...0, "no arguments")
            return .lower
        case "upper":
            try arity(0...0, "no arguments")
            return .upper
        default:
            throw TemplateError(.filter, at: at, "unknown filter '\(call.name)'; expected date, relative, default, count, pluralize, join, lower or upper")
        }
    }
}
