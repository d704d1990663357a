import PIMCore

/// The built-in PIM roles a user holds right now, directly or through a group: the portal eats
/// its own cooking, so access to Manage and Activity comes from PIM assignments whose window
/// covers now (PIMQueries.builtInRoles), never from a job having run.
struct HeldRoles: Sendable, Equatable {
    var isAdministrator: Bool
    var isSecurityReader: Bool

    init(isAdministrator: Bool = false, isSecurityReader: Bool = false) {
        self.isAdministrator = isAdministrator
        self.isSecurityReader = isSecurityReader
    }

    init(_ held: Set<BuiltInRole>) {
        self.init(isAdministrator: held.contains(.pimAdministrator), isSecurityReader: held.contains(.securityReader))
    }

    static let none = HeldRoles()

    /// May read Manage pages and the resource audit.
    var canReadManagement: Bool { isAdministrator || isSecurityReader }
    /// May change roles, assignments and settings.
    var canManage: Bool { isAdministrator }
}
