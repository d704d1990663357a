import Configuration
import Foundation

/// The JSON file of `--config`, read once and synchronously. swift-configuration's own
/// `FileProvider<JSONSnapshot>` has only an `async` initializer, and the commands that open the
/// store are synchronous; the parsing is still the library's `JSONSnapshot`.
struct JSONFileProvider: ConfigProvider {
    private let contents: JSONSnapshot
    /// Every leaf key of the file, dot-joined (`http.maxConnections`). The library keeps its
    /// parsed keys internal, so they are collected here to reject unknown ones.
    let keys: Set<String>

    init(path: String) throws(SettingsReader.Invalid) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsReader.Invalid(description: "cannot read config file \(path)")
        }
        do {
            contents = try JSONSnapshot(data: data.bytes, providerName: "config file \(path)", parsingOptions: .default)
            keys = Self.leafKeys(of: try JSONSerialization.jsonObject(with: data))
        } catch {
            // Foundation's parse errors carry their position in the debug description.
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            let oneLine = reason.split(whereSeparator: \.isNewline).joined(separator: " ")
            throw SettingsReader.Invalid(description: "config file \(path) is not a valid JSON object: \(oneLine)")
        }
    }

    private static func leafKeys(of value: Any, prefix: String = "") -> Set<String> {
        guard let object = value as? [String: Any] else { return [prefix] }
        return object.reduce(into: []) { keys, entry in
            keys.formUnion(leafKeys(of: entry.value, prefix: prefix.isEmpty ? entry.key : prefix + "." + entry.key))
        }
    }

    var providerName: String { contents.providerName }

    func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        try contents.value(forKey: key, type: type)
    }

    func fetchValue(forKey key: AbsoluteConfigKey, type: ConfigType) async throws -> LookupResult {
        try value(forKey: key, type: type)
    }

    // The library is built with NonisolatedNonsendingByDefault; its requirements say so explicitly here.
    nonisolated(nonsending) func watchValue<Return: ~Copyable>(
        forKey key: AbsoluteConfigKey, type: ConfigType,
        updatesHandler: nonisolated(nonsending) (_ updates: ConfigUpdatesAsyncSequence<Result<LookupResult, any Error>, Never>) async throws -> Return
    ) async throws -> Return {
        try await watchValueFromValue(forKey: key, type: type, updatesHandler: updatesHandler)
    }

    func snapshot() -> any ConfigSnapshot { contents }

    nonisolated(nonsending) func watchSnapshot<Return: ~Copyable>(
        updatesHandler: nonisolated(nonsending) (_ updates: ConfigUpdatesAsyncSequence<any ConfigSnapshot, Never>) async throws -> Return
    ) async throws -> Return {
        try await watchSnapshotFromSnapshot(updatesHandler: updatesHandler)
    }
}
