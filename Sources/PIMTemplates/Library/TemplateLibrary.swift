public import Foundation
import Synchronization

/// The templates of a directory, compiled at start-up. In development (`reloadOnChange`) it
/// recompiles when a file's mtime or the file list changed; otherwise it never touches the disk
/// after `init`.
public final class TemplateLibrary: Sendable {
    public let directory: URL
    public let options: TemplateOptions

    private struct Loaded: Sendable {
        var set: TemplateSet
        var stamps: [String: Date]
    }

    private let loaded: Mutex<Loaded>

    /// Loads and compiles every `*.fileExtension` file under `directory` (recursively); throws
    /// the first syntax, filter, include or context error with `file:line:column`.
    public init(directory: URL, options: TemplateOptions = .init()) throws(TemplateError) {
        self.directory = directory
        self.options = options
        let stamps = try Self.scan(directory, options.fileExtension)
        let set = try Self.compile(directory, stamps: stamps, options: options)
        self.loaded = Mutex(Loaded(set: set, stamps: stamps))
    }

    /// The set loaded last, without looking at the disk.
    public var current: TemplateSet { loaded.withLock { $0.set } }

    /// The current compiled set (reloaded first when `reloadOnChange` is on).
    public func templates() throws(TemplateError) -> TemplateSet {
        if options.reloadOnChange { try reloadIfChanged() }
        return loaded.withLock { $0.set }
    }

    public func render(_ name: String, _ values: TemplateValue, now: Date) throws(TemplateError) -> String {
        try templates().render(name, values, now: now)
    }

    public func renderBytes(_ name: String, _ values: TemplateValue, now: Date) throws(TemplateError) -> [UInt8] {
        try templates().renderBytes(name, values, now: now)
    }

    /// Recompiles when a file was added, removed or modified; returns whether it did. On a
    /// compile error the previous set stays loaded and the error is thrown.
    @discardableResult
    public func reloadIfChanged() throws(TemplateError) -> Bool {
        let stamps = try Self.scan(directory, options.fileExtension)
        if loaded.withLock({ $0.stamps == stamps }) { return false }
        let set = try Self.compile(directory, stamps: stamps, options: options)
        loaded.withLock { $0 = Loaded(set: set, stamps: stamps) }
        return true
    }

    /// Relative paths of template files → modification dates.
    private static func scan(_ directory: URL, _ ext: String) throws(TemplateError) -> [String: Date] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue,
            let walker = fm.enumerator(atPath: directory.path)
        else {
            throw TemplateError(.io, at: nil, "template directory '\(directory.path)' does not exist")
        }
        var stamps: [String: Date] = [:]
        let suffix = "." + ext
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(suffix) else { continue }
            let path = directory.appendingPathComponent(relative).path
            guard let attributes = try? fm.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeRegular
            else { continue }
            stamps[relative] = attributes[.modificationDate] as? Date ?? .distantPast
        }
        return stamps
    }

    private static func compile(_ directory: URL, stamps: [String: Date], options: TemplateOptions) throws(TemplateError) -> TemplateSet {
        var sources: [String: [UInt8]] = [:]
        for relative in stamps.keys {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(relative).path) else {
                throw TemplateError(.io, at: nil, "cannot read template '\(relative)'")
            }
            let name = String(relative.dropLast(options.fileExtension.count + 1))
            sources[name] = [UInt8](data)
        }
        return try TemplateSet(bytes: sources, options: options)
    }
}
