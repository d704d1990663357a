import Foundation

/// The filters' behaviour (their names and arities are checked by the linker).
extension Renderer {
    func apply(_ filter: CFilter, to input: TemplateValue, at: SourceLocation) throws(TemplateError) -> TemplateValue {
        switch filter {
        case .date(let format, let zone):
            guard case .date(let date) = input else { return try wrongInput(input, "date", "a date", at) }
            let pattern: DatePattern
            switch format {
            case .fixed(let p): pattern = p
            case .dynamic(let e):
                guard case .string(let text) = try eval(e) else { return try wrongArgument("date", "a pattern string", at) }
                do { pattern = try DatePattern(text) } catch {
                    try problem(at, error.message)
                    return .null
                }
            }
            let tz: TimeZone
            switch zone {
            case .fixed(let z): tz = z
            case .dynamic(let e):
                guard case .string(let id) = try eval(e), let z = TimeZone(identifier: id) else {
                    return try wrongArgument("date", "a known time zone identifier", at)
                }
                tz = z
            }
            return .string(pattern.format(date, in: tz))
        case .relative:
            guard case .date(let date) = input else { return try wrongInput(input, "relative", "a date", at) }
            return .string(Self.relative(date, now: now))
        case .defaultValue:
            return input  // handled in eval, which must see missing variables
        case .count:
            switch input {
            case .list(let l): return .int(l.count)
            case .rows(let r): return .int(r.count)
            case .dict(let d): return .int(d.count)
            case .string(let s): return .int(s.count)
            case .null: return .int(0)
            default: return try wrongInput(input, "count", "a list, dictionary or string", at)
            }
        case .pluralize(let singular, let plural):
            let n: Int
            switch input {
            case .int(let i): n = i
            case .list(let l): n = l.count
            case .rows(let r): n = r.count
            default: return try wrongInput(input, "pluralize", "a number or a list", at)
            }
            guard case .string(let one) = try eval(singular), case .string(let many) = try eval(plural) else {
                return try wrongArgument("pluralize", "two strings", at)
            }
            return .string("\(n) \(n == 1 ? one : many)")
        case .join(let separator):
            let items: [TemplateValue]
            switch input {
            case .list(let l): items = l
            case .rows(let r): items = (0..<r.count).map { .object(TemplateRow(r, $0)) }
            case .null: return .string("")
            default: return try wrongInput(input, "join", "a list", at)
            }
            guard case .string(let sep) = try eval(separator) else { return try wrongArgument("join", "a separator string", at) }
            var parts: [String] = []
            parts.reserveCapacity(items.count)
            for item in items {
                guard let text = item.scalarText else { return try wrongInput(item, "join", "a list of strings, numbers, bools or dates", at) }
                parts.append(text)
            }
            return .string(parts.joined(separator: sep))
        case .lower, .upper:
            guard let text = input.scalarText else { return try wrongInput(input, filter.name, "a string", at) }
            return .string(filter.name == "lower" ? text.lowercased() : text.uppercased())
        }
    }

    private func wrongInput(_ input: TemplateValue, _ name: String, _ expected: String, _ at: SourceLocation) throws(TemplateError) -> TemplateValue {
        try problem(at, "filter '\(name)' needs \(expected), got \(input.kindName)")
        return .null
    }

    private func wrongArgument(_ name: String, _ expected: String, _ at: SourceLocation) throws(TemplateError) -> TemplateValue {
        try problem(at, "filter '\(name)' needs \(expected) as argument")
        return .null
    }

    /// "just now", "in 42 min", "3 h ago", "in 1 day", "3 days ago" — relative to the render's `now`.
    static func relative(_ date: Date, now: Date) -> String {
        let delta = date.timeIntervalSince(now)
        let seconds = Int(abs(delta).rounded(.down))
        if seconds < 45 { return "just now" }
        let amount: String
        if seconds < 3600 {
            amount = "\(max(1, seconds / 60)) min"
        } else if seconds < 86_400 {
            amount = "\(seconds / 3600) h"
        } else {
            let days = seconds / 86_400
            amount = days == 1 ? "1 day" : "\(days) days"
        }
        return delta > 0 ? "in \(amount)" : "\(amount) ago"
    }
}

extension CFilter {
    var name: String {
        switch self {
        case .date: "date"
        case .relative: "relative"
        case .defaultValue: "default"
        case .count: "count"
        case .pluralize: "pluralize"
        case .join: "join"
        case .lower: "lower"
        case .upper: "upper"
        }
    }
}

extension TemplateValue {
    /// The text of a scalar (what `{{ }}` would print before escaping); nil for containers.
    var scalarText: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): b ? "true" : "false"
        case .date(let d): Renderer.isoPattern.format(d, in: Renderer.utc)
        case .null: ""
        case .trusted(let t): t.html
        case .list, .rows, .dict, .object: nil
        }
    }
}
