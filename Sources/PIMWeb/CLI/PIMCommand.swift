import ArgumentParser
import Foundation

/// The `pim` command line: one executable for serving, migrating and administering PIM.
@main
struct PIMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pim",
        abstract: "PIM: just-in-time privileged access for Linux intranets.",
        version: PIMVersion.string,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, BootstrapCommand.self, AuditCommand.self,
            DevCommand.self, DevMailWorkerCommand.self,
        ]
    )

    /// ArgumentParser answers a bad flag with the error plus the whole usage text; an operator
    /// (and a service manager's log) gets one `Error:` line and a non-zero exit instead. Help and
    /// version requests still print in full.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let message = self.message(for: error)
                .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: "; ")
            FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}

enum PIMVersion {
    static let string = "0.1.0"
}
