import Foundation
import GRDB
import Testing
@testable import PIMCore

/// The `pim` commands of issue 4, run as the built executable against a real database file.
struct CommandLineTests {
    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    func pim(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let executable = try #require(CrashTests.pimExecutable, "build the pim product first")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
                      error: String(decoding: error, as: UTF8.self))
    }

    func database() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pim-cli-\(UUID().uuidString)/pim.sqlite").path
    }

    @Test func migrateBootstrapVerifyAndExport() throws {
        let db = database()
        let migrate = try pim(["migrate", "--database", db])
        #expect(migrate.status == 0 && migrate.output.contains("core-1-roles"))
        #expect(try pim(["migrate", "--database", db]).output.contains("up to date"))
        let bootstrap = try pim(["bootstrap", "--admin", "root", "--database", db])
        #expect(bootstrap.status == 0, "\(bootstrap.error)")
        let again = try pim(["bootstrap", "--admin", "root", "--database", db])
        #expect(again.status != 0 && again.error.contains("PIM already has a PIM Administrator."))
        let unknown = try pim(["bootstrap", "--admin", "no-such-user-xyz", "--database", db])
        #expect(unknown.status != 0 && unknown.error.contains("No user or group named"))
        let verify = try pim(["audit", "verify", "--database", db])
        // The bootstrap, then the refused second one (the unknown user is refused before the use case).
        #expect(verify.status == 0 && verify.output.contains("intact: 2 events"))
        let export = try pim(["audit", "export", "--database", db])
        let lines = export.output.components(separatedBy: "\r\n")
        #expect(lines.first == AuditCSV.header.joined(separator: ","))
        #expect(lines.count == 4 && lines[1...2].allSatisfy { $0.contains("administratorBootstrapped") })
        #expect(lines[1].contains(",success,") && lines[2].contains(",failure,") && lines[2].contains("refused: PIM already has"))
        let future = try pim(["audit", "export", "--since", "2999-01-01", "--database", db])
        #expect(future.output.components(separatedBy: "\r\n").count == 2, "header only")
        #expect(try pim(["audit", "export", "--since", "yesterday", "--database", db]).status != 0)
    }

    @Test func verifyExitsNonZeroAndNamesTheFirstBrokenLink() async throws {
        let db = database()
        #expect(try pim(["dev", "seed", "--users", "20", "--roles", "3", "--assignments", "50", "--audit", "40", "--database", db]).status == 0)
        #expect(try pim(["audit", "verify", "--database", db]).status == 0)
        let store = try PIMStore.open(path: db)
        try await store.pool.write { try $0.execute(sql: "UPDATE audit_event SET actor = 'mallory' WHERE seq = 17") }
        let broken = try pim(["audit", "verify", "--database", db])
        #expect(broken.status == 1)
        #expect(broken.error.contains("audit chain broken at event 17"))
    }

    @Test func configFileNamesTheDatabase() throws {
        let db = database()
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("pim-\(UUID().uuidString).json")
        try #"{"database": "\#(db)"}"#.write(to: config, atomically: true, encoding: .utf8)
        #expect(try pim(["migrate", "--config", config.path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: db))
    }

    @Test func environmentOverridesTheConfigFileAndTheFlagOverridesBoth() throws {
        let fromFile = database(), fromEnvironment = database(), fromFlag = database()
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("pim-\(UUID().uuidString).json")
        try #"{"database": "\#(fromFile)"}"#.write(to: config, atomically: true, encoding: .utf8)
        let environment = ["PIM_DATABASE": fromEnvironment]
        #expect(try pim(["migrate", "--config", config.path], environment: environment).status == 0)
        #expect(FileManager.default.fileExists(atPath: fromEnvironment))
        #expect(!FileManager.default.fileExists(atPath: fromFile))
        #expect(try pim(["migrate", "--config", config.path, "--database", fromFlag], environment: environment).status == 0)
        #expect(FileManager.default.fileExists(atPath: fromFlag))
        #expect(!FileManager.default.fileExists(atPath: fromFile))
    }

    @Test(arguments: [
        (#"{"database": "/tmp/x.sqlite""#, "not a valid JSON object"),
        (#"{"http": {"eventLoops": "many"}}"#, "http.eventLoops must be a positive integer"),
        (#"{"http": {"eventLoops": 0}}"#, "http.eventLoops must be a positive integer"),
        (#"{"databse": "/tmp/x.sqlite"}"#, "unknown setting 'databse'"),
    ])
    func unusableConfigFileFailsWithOneLine(_ text: String, _ message: String) throws {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("pim-\(UUID().uuidString).json")
        try text.write(to: config, atomically: true, encoding: .utf8)
        let result = try pim(["migrate", "--config", config.path])
        #expect(result.status != 0)
        #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
        #expect(result.error.hasPrefix("Error: ") && result.error.contains(message), "\(result.error)")
    }
}
