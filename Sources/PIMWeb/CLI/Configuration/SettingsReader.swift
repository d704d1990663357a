import Configuration
import Foundation
import Synchronization

/// PIM's one configuration loader, built on apple/swift-configuration.
///
/// Sources, highest precedence first:
/// 1. command-line flags (`--database`, `--log-level`), passed in as `flags`;
/// 2. environment variables `PIM_…`: the key upper-cased, dots and camel-case humps turned into
///    `_` (`http.maxConnections` → `PIM_HTTP_MAX_CONNECTIONS`), lists comma-separated;
/// 3. the JSON file of `--config FILE`, keys nested by their dots
///    (`{"http": {"maxConnections": 50}}`);
/// 4. the defaults of the code that uses the value.
///
/// A key is declared by the one line that reads it (`ServeSettings.init(reading:)`, `database` in
/// `PIMSettings.load`). The file may hold only keys that were read, so a typo in it is an error
/// rather than a setting silently ignored; environment variables cannot be checked that way,
/// because the environment holds much besides PIM's.
final class SettingsReader {
    /// A setting that cannot be used, reported as one line.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    private let reader: ConfigReader
    private let failures = FailedReads()
    private let fileKeys: Set<String>
    private let file: String?
    private var keysRead: Set<String> = []

    init(file: String?, flags: [String: String] = [:],
         environment: [String: String] = ProcessInfo.processInfo.environment) throws(Invalid) {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: Dictionary(uniqueKeysWithValues: flags.map { key, value in
                (AbsoluteConfigKey(ConfigKey(key)), ConfigValue(.string(value), isSecret: false))
            })),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "pim"),
        ]
        if let file {
            let json = try JSONFileProvider(path: file)
            providers.append(json)
            fileKeys = json.keys
        } else {
            fileKeys = []
        }
        self.file = file
        reader = ConfigReader(providers: providers, accessReporter: failures)
    }

    func string(_ key: String) throws(Invalid) -> String? {
        try checked(key, expecting: "a string") { reader.string(forKey: ConfigKey(key)) }
    }

    func stringList(_ key: String) throws(Invalid) -> [String]? {
        try checked(key, expecting: "a list of strings") { reader.stringArray(forKey: ConfigKey(key)) }
    }

    func positiveInt(_ key: String) throws(Invalid) -> Int? {
        let value = try checked(key, expecting: "a positive integer") { reader.int(forKey: ConfigKey(key)) }
        if let value, value <= 0 { throw Invalid(description: "setting \(key) must be a positive integer") }
        return value
    }

    /// Call after every key was read: a key of the file that no code read is a typo.
    func rejectUnreadFileKeys() throws(Invalid) {
        if let unknown = fileKeys.subtracting(keysRead).sorted().first, let file {
            throw Invalid(description: "\(file): unknown setting '\(unknown)'")
        }
    }

    /// The reader's getters answer nil for a value of the wrong type; the access reporter saw why.
    private func checked<Value>(_ key: String, expecting kind: String, _ read: () -> Value?) throws(Invalid) -> Value? {
        keysRead.insert(key)
        let value = read()
        if value == nil, failures.take(key) {
            throw Invalid(description: "setting \(key) must be \(kind)")
        }
        return value
    }
}

/// Remembers the keys whose lookup or conversion failed, from the reader's access events.
private final class FailedReads: AccessReporter {
    private let keys = Mutex<Set<String>>([])

    func report(_ event: AccessEvent) {
        let providerFailed = event.providerResults.contains { if case .failure = $0.result { true } else { false } }
        guard providerFailed || event.conversionError != nil else { return }
        _ = keys.withLock { $0.insert(event.metadata.key.description) }
    }

    func take(_ key: String) -> Bool {
        keys.withLock { $0.remove(key) != nil }
    }
}
