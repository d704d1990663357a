import Foundation

/// One render call's state: the output buffer and the loop slots. Rendering is a pure function
/// of (program, root value, now, mode): no I/O, no clock, no shared mutable state.
struct Renderer {
    struct Slot {
        /// A list's current item (`items[index]`); null in a loop over rows (see `rows`).
        var value: TemplateValue
        var items: [TemplateValue]
        var index: Int
        var count: Int
        /// `value`'s object, unretained (`value` keeps it alive), and its type. Asking it for a
        /// key through `answer` skips the retain and release around the call that a copy of the
        /// reference (or of `value`) costs.
        var object: Unmanaged<AnyObject>?
        var objectType: (any TemplateRenderable.Type)?
        /// A loop over `TemplateRows`: the rows, and the same unretained reference and type.
        var rowsValue: (any TemplateRows)?
        var rows: Unmanaged<AnyObject>?
        var rowsType: (any TemplateRows.Type)?

        init(value: TemplateValue, items: [TemplateValue], index: Int, count: Int) {
            self.value = value
            self.items = items
            self.index = index
            self.count = count
            setObject()
        }

        init(rows: any TemplateRows, count: Int) {
            self.init(value: .null, items: [], index: 0, count: count)
            rowsValue = rows
            self.rows = .passUnretained(rows)
            rowsType = type(of: rows)
        }

        mutating func advance(to i: Int) {
            index = i
            guard rows == nil else { return }
            value = items[i]
            setObject()
        }

        private mutating func setObject() {
            if case .object(let o) = value {
                object = .passUnretained(o)
                objectType = type(of: o)
            } else {
                object = nil
                objectType = nil
            }
        }

        /// The loop variable as a value (a row of rows is made an object only when asked for).
        var current: TemplateValue {
            if let rowsValue { return .object(TemplateRow(rowsValue, index)) }
            return value
        }

        static var empty: Slot { Slot(value: .null, items: [], index: 0, count: 0) }
    }

    /// `key` of the loop variable in `slot`; nil when it has no such member.
    @inline(__always)
    func member(ofSlot slot: Int, _ key: String) -> TemplateValue? {
        if let object = slots[slot].object, let type = slots[slot].objectType {
            return type.answer(object, key)
        }
        if let rows = slots[slot].rows, let type = slots[slot].rowsType {
            return type.answer(rows, slots[slot].index, key)
        }
        return slots[slot].value.member(key)
    }

    /// The same for a program's key: its name is passed borrowed from the box, without a retain.
    @inline(__always)
    func member(ofSlot slot: Int, _ key: Unmanaged<FlatProgram.Key>) -> TemplateValue? {
        if let object = slots[slot].object, let type = slots[slot].objectType {
            return key._withUnsafeGuaranteedRef { type.answer(object, $0.name) }
        }
        if let rows = slots[slot].rows, let type = slots[slot].rowsType {
            let index = slots[slot].index
            return key._withUnsafeGuaranteedRef { type.answer(rows, index, $0.name) }
        }
        let value = slots[slot].value
        return key._withUnsafeGuaranteedRef { value.member($0.name) }
    }

    let program: FlatProgram
    var out: OutputBuffer
    var slots: [Slot]
    let root: TemplateValue
    let now: Date
    let strict: Bool
    let logger: (@Sendable (String) -> Void)?

    init(program: FlatProgram, out: OutputBuffer, root: TemplateValue, now: Date, strict: Bool, logger: (@Sendable (String) -> Void)?, slots: Int) {
        self.program = program
        self.out = out
        self.slots = Array(repeating: .empty, count: slots)
        self.root = root
        self.now = now
        self.strict = strict
        self.logger = logger
    }

    /// Strict mode: throws. Production: logs (position and what, never the value) and returns.
    func problem(_ at: SourceLocation, _ message: String) throws(TemplateError) {
        if strict { throw TemplateError(.render, at: at, message) }
        logger?("template warning: \(at): \(message)")
    }

    mutating func run() throws(TemplateError) {
        // Buffer pointers: reading an op or a text slice then retains nothing.
        try program.ops.withUnsafeBufferPointer { (ops) throws(TemplateError) in
            try program.text.withUnsafeBufferPointer { (text) throws(TemplateError) in
                try run(ops, text)
            }
        }
    }

    private mutating func run(_ ops: UnsafeBufferPointer<FlatProgram.Op>, _ text: UnsafeBufferPointer<UInt8>) throws(TemplateError) {
        var pc = 0
        while pc < ops.count {
            switch ops[pc] {
            case .bytes(let start, let count):
                out.append(contentsOf: UnsafeBufferPointer(rebasing: text[start ..< start + count]))
            case .output(let expr, let mode, let site):
                try emit(try eval(program.exprs[expr]), mode: mode, site: site)
            case .outputMember(let slot, let key, let mode, let site):
                if let value = member(ofSlot: slot, key) {
                    try emit(value, mode: mode, site: site)
                } else {
                    let site = program.sites[site]
                    try emit(try missing(site.dotted, site.at, false), mode: mode, site: -1)
                }
            case .raw(let expr, let site):
                let value = try eval(program.exprs[expr])
                switch value {
                case .trusted(let t): out.appendRaw(t.html)
                case .null: break
                default: try problem(program.sites[site].at, "'raw' needs a TrustedHTML value, got \(value.kindName)")
                }
            case .jumpUnless(let expr, let target):
                if !(try eval(program.exprs[expr]).isTruthy) {
                    pc = target
                    continue
                }
            case .jumpUnlessMember(let slot, let key, let site, let target):
                let value: TemplateValue
                if let found = member(ofSlot: slot, key) {
                    value = found
                } else {
                    value = try missing(program.sites[site].dotted, program.sites[site].at, false)
                }
                if !value.isTruthy {
                    pc = target
                    continue
                }
            case .jump(let target):
                pc = target
                continue
            case .loop(let slot, let sequence, let site, let body):
                let items: [TemplateValue]
                switch try eval(program.exprs[sequence]) {
                case .list(let l): items = l
                case .rows(let r):
                    if r.count > 0 {
                        slots[slot] = Slot(rows: r, count: r.count)
                        pc = body
                        continue
                    }
                    items = []
                case .dict(let d): items = d.sorted { $0.key < $1.key }.map(\.value)
                case .null: items = []
                case let other:
                    try problem(program.sites[site].at, "'for' needs a list, got \(other.kindName)")
                    items = []
                }
                if !items.isEmpty {
                    slots[slot] = Slot(value: items[0], items: items, index: 0, count: items.count)
                    pc = body
                    continue
                }
            case .next(let slot, let body):
                let i = slots[slot].index + 1
                if i < slots[slot].count {
                    slots[slot].advance(to: i)
                    pc = body
                    continue
                }
                // Nothing reads a slot outside its loop; this only lets go of the list.
                slots[slot] = .empty
            }
            pc += 1
        }
    }

    static let isoPattern = try! DatePattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
    static let utc = TimeZone(identifier: "UTC")!

    /// `site` names the op for a message (-1: none, the value is null). `borrowing`, and strings
    /// read through `utf8.span`: a copied-out payload was retained and released per print.
    mutating func emit(_ value: borrowing TemplateValue, mode: EscapeMode, site: Int) throws(TemplateError) {
        switch value {
        case .string(let s):
            if mode == .url, URLSafety.isDangerous(s) {
                out.appendRaw(URLSafety.replacement)
            } else {
                out.appendEscaped(s)
            }
        case .int(let i): out.appendInt(i)
        case .double(let d): out.appendEscaped(String(d))
        case .bool(let b): out.appendRaw(b ? "true" : "false")
        case .date(let d): out.appendRaw(Self.isoPattern.format(d, in: Self.utc))
        case .null: break
        case .trusted(let t):
            // Outside `raw`, trusted HTML is just text.
            try emit(.string(t.html), mode: mode, site: site)
        case .list, .rows, .dict, .object:
            try problem(program.sites[site].at, "cannot print a \(value.kindName); expected a string, number, bool or date")
        }
    }

    /// Evaluates an expression; a missing variable is a problem unless `lenient` (inside `default`).
    func eval(_ expr: CExpr, lenient: Bool = false) throws(TemplateError) -> TemplateValue {
        switch expr {
        case .literal(let v):
            return v
        case .path(let root, let rest, let dotted, let at):
            var value: TemplateValue
            switch root {
            case .global(let name):
                guard let v = self.root.member(name) else { return try missing(dotted, at, lenient) }
                value = v
            case .local(let slot):
                value = slots[slot].current
            case .loop(let slot, let property):
                guard let property else {
                    try problem(at, "'loop' alone cannot be printed; expected loop.index, loop.index0, loop.count, loop.first or loop.last")
                    return .null
                }
                let index = slots[slot].index, count = slots[slot].count
                switch property {
                case .index: value = .int(index + 1)
                case .index0: value = .int(index)
                case .count: value = .int(count)
                case .first: value = .bool(index == 0)
                case .last: value = .bool(index == count - 1)
                case .unknown: return try missing(dotted, at, lenient)
                }
            }
            for key in rest {
                guard let v = value.member(key) else { return try missing(dotted, at, lenient) }
                value = v
            }
            return value
        case .member(let slot, let key, let dotted, let at):
            guard let value = member(ofSlot: slot, key) else { return try missing(dotted, at, lenient) }
            return value
        case .filter(let input, let filter, let at):
            if case .defaultValue(let fallback) = filter {
                let v = try eval(input, lenient: true)
                switch v {
                case .null: return try eval(fallback)
                case .string(let s) where s.isEmpty: return try eval(fallback)
                default: return v
                }
            }
            return try apply(filter, to: try eval(input, lenient: lenient), at: at)
        case .not(let e):
            return .bool(!(try eval(e, lenient: lenient).isTruthy))
        case .and(let a, let b):
            guard try eval(a, lenient: lenient).isTruthy else { return .bool(false) }
            return .bool(try eval(b, lenient: lenient).isTruthy)
        case .or(let a, let b):
            if try eval(a, lenient: lenient).isTruthy { return .bool(true) }
            return .bool(try eval(b, lenient: lenient).isTruthy)
        case .compare(let a, let op, let b, let at):
            return .bool(try compare(try eval(a, lenient: lenient), op, try eval(b, lenient: lenient), at: at))
        }
    }

    private func missing(_ dotted: String, _ at: SourceLocation, _ lenient: Bool) throws(TemplateError) -> TemplateValue {
        if !lenient { try problem(at, "unknown variable '\(dotted)'") }
        return .null
    }

    private func compare(_ a: TemplateValue, _ op: CompareOp, _ b: TemplateValue, at: SourceLocation) throws(TemplateError) -> Bool {
        let order: Int?
        switch (a, b) {
        case (.int(let x), .int(let y)): order = x < y ? -1 : (x == y ? 0 : 1)
        case (.int(let x), .double(let y)): order = Double(x) < y ? -1 : (Double(x) == y ? 0 : 1)
        case (.double(let x), .int(let y)): order = x < Double(y) ? -1 : (x == Double(y) ? 0 : 1)
        case (.double(let x), .double(let y)): order = x < y ? -1 : (x == y ? 0 : 1)
        case (.string(let x), .string(let y)): order = x < y ? -1 : (x == y ? 0 : 1)
        case (.date(let x), .date(let y)): order = x < y ? -1 : (x == y ? 0 : 1)
        case (.bool(let x), .bool(let y)): order = x == y ? 0 : nil
        case (.null, .null): order = 0
        default: order = nil
        }
        switch op {
        case .eq: return order == 0
        case .ne: return order != 0
        default:
            guard let order, !(a.isBool) else {
                try problem(at, "cannot order \(a.kindName) against \(b.kindName) with '\(op.rawValue)'")
                return false
            }
            switch op {
            case .lt: return order < 0
            case .le: return order <= 0
            case .gt: return order > 0
            default: return order >= 0
            }
        }
    }
}

extension TemplateValue {
    var isBool: Bool { if case .bool = self { true } else { false } }
}

extension TemplateRenderable {
    /// `object` (an instance of this type) asked for `key` without a retain: the caller keeps it
    /// alive.
    fileprivate static func answer(_ object: Unmanaged<AnyObject>, _ key: String) -> TemplateValue? {
        object._withUnsafeGuaranteedRef { unsafeDowncast($0, to: Self.self).templateValue(forKey: key) }
    }
}

extension TemplateRows {
    /// Row `index` of `rows` (an instance of this type) asked for `key` without a retain.
    fileprivate static func answer(_ rows: Unmanaged<AnyObject>, _ index: Int, _ key: String) -> TemplateValue? {
        rows._withUnsafeGuaranteedRef { unsafeDowncast($0, to: Self.self).templateValue(at: index, forKey: key) }
    }
}
