public import Foundation

/// A value a template can print, test or loop over. Values reach templates only through this
/// type (no `Mirror`): view models either build `.dict`s or conform to `TemplateRenderable`.
public enum TemplateValue: Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case date(Date)
    case list([TemplateValue])
    /// A list whose items answer keys through it: a loop over it makes no object per item.
    case rows(any TemplateRows)
    case dict([String: TemplateValue])
    /// A view model answering keys itself (cheaper than building a dictionary per row).
    case object(any TemplateRenderable)
    /// Pre-rendered markup; the only thing `{{ raw x }}` prints unescaped.
    case trusted(TrustedHTML)
    case null

    /// The member `key` of a dictionary or object; nil when there is no such member.
    @inline(__always)
    func member(_ key: String) -> TemplateValue? {
        switch self {
        case .dict(let d): d[key]
        case .object(let o): o.templateValue(forKey: key)
        default: nil
        }
    }

    /// Template truthiness: null, false, 0, "", empty list/dict are false.
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .double(let d): d != 0
        case .string(let s): !s.isEmpty
        case .list(let l): !l.isEmpty
        case .rows(let r): r.count > 0
        case .dict(let d): !d.isEmpty
        case .date, .object, .trusted: true
        }
    }

    /// A short name of the value's kind for error messages (never the value itself).
    var kindName: String {
        switch self {
        case .string: "string"
        case .int: "int"
        case .double: "double"
        case .bool: "bool"
        case .date: "date"
        case .list, .rows: "list"
        case .dict: "dictionary"
        case .object: "object"
        case .trusted: "trusted HTML"
        case .null: "null"
        }
    }
}

/// A view model that answers template keys itself.
///
/// Class-bound so that `any TemplateRenderable` is a single reference: with a struct existential
/// in `.object`, `TemplateValue` was address-only and every copy, switch and destroy of any value
/// (not only objects) went through value-witness calls (`initializeWithCopy for TemplateValue`).
public protocol TemplateRenderable: AnyObject, Sendable {
    /// The value for `key`, or nil when the object has no such key (an unknown variable).
    func templateValue(forKey key: String) -> TemplateValue?
}

/// A list of rows that answers its items' keys itself, by index: `{% for r in rows %}` over it
/// builds no object per row (a view object per row was an allocation each). Inside the loop
/// `r.key` asks `templateValue(at:forKey:)`; `r` alone (printed, tested, passed on) is an object
/// answering for that row. Class-bound like `TemplateRenderable`.
public protocol TemplateRows: AnyObject, Sendable {
    var count: Int { get }
    /// Row `index`'s value for `key` (0 ≤ index < count), or nil when rows have no such key.
    func templateValue(at index: Int, forKey key: String) -> TemplateValue?
}

/// One row of a `TemplateRows`, for the rare use of a loop variable as a whole value.
final class TemplateRow: TemplateRenderable {
    let rows: any TemplateRows
    let index: Int

    init(_ rows: any TemplateRows, _ index: Int) {
        self.rows = rows
        self.index = index
    }

    func templateValue(forKey key: String) -> TemplateValue? { rows.templateValue(at: index, forKey: key) }
}

/// Markup the server built itself (e.g. an SVG QR code). Never wrap user input in it:
/// `{{ raw x }}` prints it unescaped.
public struct TrustedHTML: Sendable, Equatable {
    public let html: String
    /// Marks `html` as safe to print unescaped. Greppable on purpose: audit every call.
    public init(unchecked html: String) { self.html = html }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .dict(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension TemplateValue {
    /// `.null` for nil, otherwise the wrapped conversion.
    public static func optional<T>(_ value: T?, _ transform: (T) -> TemplateValue) -> TemplateValue {
        value.map(transform) ?? .null
    }
}
