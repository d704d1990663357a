import GRDB
import Synchronization

/// The ids of the built-in roles, each read once per store: migration core-5 creates them, and
/// nothing deletes them or changes their ids (`PIMError.builtInRoleCannotChange`). Every
/// activation asked for PIM Administrator's twice (mail recipients, reminder levels).
final class BuiltInRoleIDs: Sendable {
    private let known = Mutex<[BuiltInRole: Int64]>([:])

    func id(of builtIn: BuiltInRole, in db: Database) throws -> Int64? {
        if let id = known.withLock({ $0[builtIn] }) { return id }
        guard let id = try Tables.builtInID(builtIn, db) else { return nil }
        known.withLock { $0[builtIn] = id }
        return id
    }
}
