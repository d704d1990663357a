import Foundation
import Testing
@testable import PIMWeb

/// `PIMSettings.load` over real JSON files and explicit environments.
struct ConfigurationTests {
    static func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "pim-config-\(UUID().uuidString).json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let full = #"""
        {"database": "/srv/pim/pim.sqlite",
         "http": {"trustedProxies": ["10.0.0.1", "10.0.0.2"], "maxConnections": 50, "eventLoops": 2,
                  "maxBodyBytes": 65536},
         "log": {"level": "debug"}}
        """#

    @Test func fileValuesAreApplied() throws {
        let path = try Self.file(Self.full)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = try PIMSettings.load(file: path, environment: [:])
        #expect(settings.database == "/srv/pim/pim.sqlite")
        #expect(settings.serve.trustedProxies == ["10.0.0.1", "10.0.0.2"])
        #expect(settings.serve.maxConnections == 50 && settings.serve.eventLoops == 2)
        #expect(settings.serve.maxBodyBytes == 65536 && settings.serve.logLevel == "debug")
    }

    @Test func committedExampleFileLoads() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../scripts/pim.example.json").standardizedFileURL.path
        let settings = try PIMSettings.load(file: example, environment: [:])
        #expect(settings.database == "/var/lib/pim/pim.sqlite" && settings.serve.maxConnections == 512)
        #expect(settings.serve.trustedProxies == ["127.0.0.1", "10.0.0.5"] && settings.serve.logLevel == "info")
    }

    @Test func withoutFileOrEnvironmentTheDefaultsHold() throws {
        let settings = try PIMSettings.load(file: nil, environment: [:])
        #expect(settings.database == PIMSettings.defaultDatabase)
        #expect(settings.serve.trustedProxies.isEmpty && settings.serve.maxConnections == nil)
        #expect(settings.serve.logLevel == nil)
    }

    @Test func environmentOverridesFile() throws {
        let path = try Self.file(Self.full)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = ["PIM_DATABASE": "/env.sqlite", "PIM_HTTP_MAX_CONNECTIONS": "7",
                           "PIM_HTTP_TRUSTED_PROXIES": "192.0.2.9", "PIM_LOG_LEVEL": "error",
                           "HTTP_EVENT_LOOPS": "9"]
        let settings = try PIMSettings.load(file: path, environment: environment)
        #expect(settings.database == "/env.sqlite" && settings.serve.maxConnections == 7)
        #expect(settings.serve.trustedProxies == ["192.0.2.9"] && settings.serve.logLevel == "error")
        #expect(settings.serve.eventLoops == 2, "only PIM_ variables count")
    }

    @Test func flagsOverrideEnvironmentAndFile() throws {
        let path = try Self.file(Self.full)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = try PIMSettings.load(file: path, flags: ["database": "/flag.sqlite", "log.level": "trace"],
                                            environment: ["PIM_DATABASE": "/env.sqlite", "PIM_LOG_LEVEL": "error"])
        #expect(settings.database == "/flag.sqlite" && settings.serve.logLevel == "trace")
        let unset = try PIMSettings.load(file: path, flags: ["database": nil], environment: [:])
        #expect(unset.database == "/srv/pim/pim.sqlite", "an option left unset does not hide the file")
    }

    static let unusable: [(file: String?, environment: [String: String], message: String)] = [
        ("{\"http\": {\"maxConnections\": 5,}", [:], "not a valid JSON object"),
        ("[1, 2]", [:], "not a valid JSON object"),
        (#"{"http": {"maxConnections": "50"}}"#, [:], "http.maxConnections must be a positive integer"),
        (#"{"http": {"maxBodyBytes": 1.5}}"#, [:], "http.maxBodyBytes must be a positive integer"),
        (#"{"http": {"eventLoops": -1}}"#, [:], "http.eventLoops must be a positive integer"),
        (#"{"http": {"trustedProxies": [1, 2]}}"#, [:], "http.trustedProxies must be a list of strings"),
        (#"{"http": {"maxConections": 5}}"#, [:], "unknown setting 'http.maxConections'"),
        (#"{"log": "debug"}"#, [:], "unknown setting 'log'"),
        (nil, ["PIM_HTTP_EVENT_LOOPS": "lots"], "http.eventLoops must be a positive integer"),
        (nil, ["PIM_HTTP_MAX_BODY_BYTES": "0"], "http.maxBodyBytes must be a positive integer"),
    ]

    @Test(arguments: unusable)
    func unusableSettingIsOneLineError(_ file: String?, _ environment: [String: String], _ message: String) throws {
        let path = try file.map(Self.file)
        defer { if let path { try? FileManager.default.removeItem(atPath: path) } }
        do {
            _ = try PIMSettings.load(file: path, environment: environment)
            Issue.record("loaded: \(file ?? "") \(environment)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: SettingsReader.Invalid.self) { try PIMSettings.load(file: "/no/such/pim.json", environment: [:]) }
    }
}
