import ArgumentParser
import Foundation
import PIMCore
#if canImport(Glibc)
import Glibc
#endif

/// `pim bootstrap --admin USER`: the first PIM Administrator (permanent active, audited).
struct BootstrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap", abstract: "Make USER the first PIM Administrator (only when there is none).")

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "The host user (NSS name) to make PIM Administrator.")
    var admin: String

    func run() async throws {
        let store = try options.openStore()
        // The user must exist on the host (getpwnam(3)); PIMAuth's NSS directory serves the
        // portal, this command needs only this one name.
        guard let entry = getpwnam(admin) else {
            throw CommandFailure(PIMError.unknownPrincipal(admin).message)
        }
        let gecos = entry.pointee.pw_gecos.map { String(cString: $0) } ?? ""
        let directory = InMemoryDirectory(users: [
            DirectoryUser(name: admin, displayName: gecos.split(separator: ",").first.map(String.init) ?? admin),
        ])
        let service = PIMService(store: store, directory: directory)
        do {
            let assignment = try await service.bootstrap(admin: admin, by: ActorContext(username: "system", sourceAddress: "cli"))
            print("\(admin) is now PIM Administrator (assignment \(assignment.id), permanent active).")
        } catch let error as PIMError {
            throw CommandFailure(error.message)
        }
    }
}
