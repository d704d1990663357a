/// Where in a template file something is: 1-based line and column (columns count Unicode
/// scalars, so they match what an editor shows for most text).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A compile or render error. The message says what was expected; it never contains a value
/// passed to a render call.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Malformed template text (delimiters, tags, expressions).
        case syntax
        /// A value placed where HTML escaping cannot make it safe.
        case unsafeContext
        /// An include or layout that does not exist, or an include cycle.
        case missingTemplate
        /// An unknown filter, wrong arguments, bad date pattern or time zone.
        case filter
        /// Render time (strict mode): unknown variable, wrong kind of value.
        case render
        /// I/O while loading a directory.
        case io
    }

    public let kind: Kind
    public let location: SourceLocation?
    public let message: String

    public init(_ kind: Kind, at location: SourceLocation?, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    public var description: String {
        if let location { "\(location): \(message)" } else { message }
    }
}
