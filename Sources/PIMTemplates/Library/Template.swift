public import Foundation

/// Strict: problems at render time throw. Production: they render empty and are logged.
public enum TemplateMode: Sendable {
    case strict
    case production
}

/// One compiled template (its layout, blocks and includes already spliced in). Immutable and
/// `Sendable`: render it from any number of threads at once.
public struct Template: Sendable {
    public let name: String
    let program: FlatProgram
    let slots: Int

    init(name: String, ops: [LinkedOp], slots: Int) {
        self.name = name
        self.program = FlatProgram(ops)
        self.slots = slots
    }

    /// Renders with `values` as the root scope; `now` feeds the `relative` filter.
    public func renderBytes(
        _ values: TemplateValue, now: Date, mode: TemplateMode = .strict,
        logger: (@Sendable (String) -> Void)? = nil
    ) throws(TemplateError) -> [UInt8] {
        var failure: TemplateError?
        var overflow: [UInt8] = []
        // Rendered straight into the result's memory (see `OutputBuffer`).
        let bytes = [UInt8](unsafeUninitializedCapacity: program.sizeHint) { memory, initialized in
            var renderer = Renderer(
                program: program, out: OutputBuffer(into: memory), root: values, now: now,
                strict: mode == .strict, logger: logger, slots: slots)
            defer { renderer.out.discard() }
            do throws(TemplateError) {
                try renderer.run()
            } catch {
                failure = error
                return
            }
            if renderer.out.ownsMemory { overflow = renderer.out.bytes } else { initialized = renderer.out.count }
        }
        if let failure { throw failure }
        return overflow.isEmpty ? bytes : overflow
    }

    public func render(
        _ values: TemplateValue, now: Date, mode: TemplateMode = .strict,
        logger: (@Sendable (String) -> Void)? = nil
    ) throws(TemplateError) -> String {
        String(decoding: try renderBytes(values, now: now, mode: mode, logger: logger), as: UTF8.self)
    }
}

/// Everything a library needs to know besides the directory.
public struct TemplateOptions: Sendable {
    public var mode: TemplateMode
    /// Development: compare file mtimes before each render and recompile on change.
    public var reloadOnChange: Bool
    /// Extension of template files (without the dot).
    public var fileExtension: String
    /// Receives production-mode warnings (positions and variable names, never values).
    public var logger: (@Sendable (String) -> Void)?

    public init(
        mode: TemplateMode = .strict, reloadOnChange: Bool = false, fileExtension: String = "html",
        logger: (@Sendable (String) -> Void)? = nil
    ) {
        self.mode = mode
        self.reloadOnChange = reloadOnChange
        self.fileExtension = fileExtension
        self.logger = logger
    }
}

/// All templates of one source set, parsed, checked and linked together.
public struct TemplateSet: Sendable {
    public let templates: [String: Template]
    public let mode: TemplateMode
    let logger: (@Sendable (String) -> Void)?

    /// Compiles `sources` (template name → text). Files are called `name.fileExtension` in errors.
    public init(sources: [String: String], options: TemplateOptions = .init()) throws(TemplateError) {
        try self.init(bytes: sources.mapValues { Array($0.utf8) }, options: options)
    }

    init(bytes sources: [String: [UInt8]], options: TemplateOptions) throws(TemplateError) {
        var parsed: [String: ParsedTemplate] = [:]
        // Sorted so that the first error reported is deterministic.
        for name in sources.keys.sorted() {
            let source = SourceText(file: "\(name).\(options.fileExtension)", bytes: sources[name]!)
            var parser = Parser(name: name, source: source)
            parsed[name] = try parser.parse()
        }
        var linker = Linker(parsed: parsed)
        var templates: [String: Template] = [:]
        for name in parsed.keys.sorted() {
            let ops = try linker.link(name)
            templates[name] = Template(name: name, ops: ops, slots: linker.maxSlots)
        }
        self.templates = templates
        self.mode = options.mode
        self.logger = options.logger
    }

    public func template(_ name: String) throws(TemplateError) -> Template {
        guard let t = templates[name] else {
            throw TemplateError(.missingTemplate, at: nil, "no template named '\(name)'")
        }
        return t
    }

    public func renderBytes(_ name: String, _ values: TemplateValue, now: Date) throws(TemplateError) -> [UInt8] {
        try template(name).renderBytes(values, now: now, mode: mode, logger: logger)
    }

    public func render(_ name: String, _ values: TemplateValue, now: Date) throws(TemplateError) -> String {
        try template(name).render(values, now: now, mode: mode, logger: logger)
    }
}
