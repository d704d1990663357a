/// The form a template renders from: one op array with jump targets instead of nested bodies,
/// all static text in one byte buffer, and everything with a reference count in side tables:
/// expressions and source locations named by index, member keys by unretained reference.
///
/// Why: ops are then trivially copyable, so reading one is a load. Walking the linked tree with
/// `for op in ops { switch op … }` copied each op's payload (its box, byte array, key string and
/// source file name) — a retain and a release per op, a third of a render's leaf samples.
struct FlatProgram: Sendable {
    enum Op: Sendable {
        /// `text[start ..< start + count]`.
        case bytes(start: Int, count: Int)
        case output(expr: Int, EscapeMode, site: Int)
        /// `{{ variable.key }}` of a loop variable: `key` read off the slot.
        case outputMember(slot: Int, key: Unmanaged<Key>, EscapeMode, site: Int)
        case raw(expr: Int, site: Int)
        /// An `if`/`elif` arm: go on when `exprs[expr]` is truthy, else jump to `target`.
        case jumpUnless(expr: Int, target: Int)
        /// The same for `variable.key` of a loop variable (row conditions), without `eval`.
        /// `a and b` is a test of each, in order, with the same target.
        case jumpUnlessMember(slot: Int, key: Unmanaged<Key>, site: Int, target: Int)
        case jump(target: Int)
        /// Evaluates the sequence; empty: goes on (the `empty` ops follow, then a jump past the
        /// loop), else fills the slot with the first item and jumps to `body`.
        case loop(slot: Int, sequence: Int, site: Int, body: Int)
        /// End of a loop body: the slot's next item and back to `body`, or on past the loop.
        case next(slot: Int, body: Int)
    }

    /// A member name, boxed so that an op can name it with a trivial unretained reference (the
    /// program's `keys` own the boxes) and a lookup can pass the name borrowed from the box: a
    /// String loaded from an array was retained and released around every lookup.
    final class Key: Sendable {
        let name: String
        init(_ name: String) { self.name = name }
    }

    /// What a message says about an op: where it is and, for a member output, the dotted path.
    struct Site: Sendable {
        let at: SourceLocation
        let dotted: String
    }

    private(set) var ops: [Op] = []
    private(set) var text: [UInt8] = []
    private(set) var exprs: [CExpr] = []
    private(set) var keys: [Key] = []
    private(set) var sites: [Site] = []
    /// The latest jump target (bytes appended there must not join the op before).
    private var label = -1
    /// Static bytes plus some room for values: the output buffer's first capacity.
    private(set) var sizeHint = 0

    init(_ linked: [LinkedOp]) {
        append(linked)
        sizeHint = estimate(linked) + 256
    }

    private mutating func append(_ linked: [LinkedOp]) {
        for op in linked {
            switch op {
            case .bytes(let b):
                // Adjacent chunks (an empty branch between two) become one op, unless a jump
                // lands between them.
                if label != ops.count, case .bytes(let start, let count)? = ops.last, start + count == text.count {
                    ops[ops.count - 1] = .bytes(start: start, count: count + b.count)
                } else if !b.isEmpty {
                    ops.append(.bytes(start: text.count, count: b.count))
                }
                text.append(contentsOf: b)
            case .output(let expr, let mode, let at):
                ops.append(.output(expr: add(expr), mode, site: site(at, "")))
            case .outputMember(let slot, let key, let mode, let dotted, let at):
                ops.append(.outputMember(slot: slot, key: self.key(key), mode, site: site(at, dotted)))
            case .raw(let expr, let at):
                ops.append(.raw(expr: add(expr), site: site(at, "")))
            case .branches(let arms, let otherwise):
                var exits: [Int] = []
                for (condition, body) in arms {
                    let tests = self.tests(condition)
                    let first = ops.count
                    ops.append(contentsOf: repeatElement(.jump(target: -1), count: tests.count))  // patched below
                    append(body)
                    exits.append(ops.count)
                    ops.append(.jump(target: -1))
                    for (i, test) in tests.enumerated() {
                        switch test {
                        case .member(let slot, let key, let dotted, let at):
                            ops[first + i] = .jumpUnlessMember(slot: slot, key: self.key(key), site: site(at, dotted), target: ops.count)
                        default:
                            ops[first + i] = .jumpUnless(expr: add(test), target: ops.count)
                        }
                    }
                }
                append(otherwise)
                label = ops.count
                for exit in exits { ops[exit] = .jump(target: ops.count) }
            case .loop(let slot, let sequence, let body, let empty, let at):
                let start = ops.count
                ops.append(.jump(target: -1))  // patched below
                append(empty)
                let skip = ops.count
                ops.append(.jump(target: -1))
                let bodyStart = ops.count
                append(body)
                ops.append(.next(slot: slot, body: bodyStart))
                ops[start] = .loop(slot: slot, sequence: add(sequence), site: site(at, ""), body: bodyStart)
                ops[skip] = .jump(target: ops.count)
                label = ops.count
            }
        }
    }

    /// A condition as tests that must all pass: `a and b` is `a`, then `b` (the order `eval`
    /// evaluates them in, stopping at the first false one).
    private func tests(_ condition: CExpr) -> [CExpr] {
        if case .and(let a, let b) = condition { return tests(a) + tests(b) }
        return [condition]
    }

    private mutating func add(_ expr: CExpr) -> Int {
        exprs.append(expr)
        return exprs.count - 1
    }

    private mutating func key(_ name: String) -> Unmanaged<Key> {
        if let key = keys.first(where: { $0.name == name }) { return .passUnretained(key) }
        let key = Key(name)
        keys.append(key)
        return .passUnretained(key)
    }

    private mutating func site(_ at: SourceLocation, _ dotted: String) -> Int {
        sites.append(Site(at: at, dotted: dotted))
        return sites.count - 1
    }

    private func estimate(_ linked: [LinkedOp]) -> Int {
        var size = 0
        for op in linked {
            switch op {
            case .bytes(let b): size += b.count
            case .output, .outputMember: size += 16
            case .raw: size += 256
            case .branches(let arms, let otherwise):
                size += estimate(otherwise)
                for (_, body) in arms { size += estimate(body) }
            case .loop(_, _, let body, let empty, _):
                // A loop usually runs several times; capped so deep nesting cannot overflow.
                size += estimate(empty) + min(estimate(body) * 9, 1 << 20)
            }
        }
        return min(size, 1 << 20)
    }
}
