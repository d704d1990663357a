import ArgumentParser
import Foundation
import PIMCore

/// `pim audit verify` and `pim audit export`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify or export the audit log.",
        subcommands: [AuditVerifyCommand.self, AuditExportCommand.self])
}

/// Walks the hash chain; exits 1 and names the first broken link when it does not hold.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Prove the audit chain unbroken.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let store = try options.openStore()
        switch try await store.pool.read({ try AuditLog.verify($0) }) {
        case .intact(let count):
            print("Audit chain intact: \(count) events.")
        case .broken(let link):
            FileHandle.standardError.write(Data("\(link.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// CSV (RFC 4180, UTF-8) of the events in [since, until) to standard output, streamed.
struct AuditExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write the audit log as CSV to stdout.")

    @OptionGroup var options: CommonOptions

    @Option(help: "First day or instant included (YYYY-MM-DD or ISO 8601, UTC).")
    var since: String?

    @Option(help: "Day or instant excluded (YYYY-MM-DD or ISO 8601, UTC).")
    var until: String?

    func run() async throws {
        let filter = AuditFilter(since: try since.map(Self.parse), until: try until.map(Self.parse))
        let store = try options.openStore()
        let queries = PIMQueries(store: store, directory: InMemoryDirectory())
        var buffer = AuditCSV.line(AuditCSV.header)
        try queries.exportAudit(filter: filter) { event in
            buffer += AuditCSV.line(for: event)
            if buffer.utf8.count > 64 * 1024 {
                FileHandle.standardOutput.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        FileHandle.standardOutput.write(Data(buffer.utf8))
    }

    static func parse(_ text: String) throws -> Date {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return date }
        throw ValidationError("“\(text)” is not a date (YYYY-MM-DD or ISO 8601).")
    }
}
