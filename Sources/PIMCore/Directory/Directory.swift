/// A user as the host knows it (NSS `getpwnam`: the GECOS field gives the display name).
public struct DirectoryUser: Sendable, Equatable {
    public var name: String
    public var displayName: String
    /// The address mail goes to, when the directory knows one.
    public var email: String?

    public init(name: String, displayName: String, email: String? = nil) {
        self.name = name
        self.displayName = displayName
        self.email = email
    }
}

/// A group and its members (NSS `getgrnam`).
public struct DirectoryGroup: Sendable, Equatable {
    public var name: String
    public var members: [String]

    public init(name: String, members: [String]) {
        self.name = name
        self.members = members
    }
}

/// Users and groups: NSS in production (PIMAuth), in memory in tests. Lookups are synchronous
/// and may be called inside a write transaction, so implementations must answer quickly.
public protocol Directory: Sendable {
    func user(named name: String) -> DirectoryUser?
    func group(named name: String) -> DirectoryGroup?
    /// The names of the groups `user` belongs to (NSS `getgrouplist`).
    func groups(ofUser user: String) -> [String]
    /// Users and groups whose name starts with `prefix`, for the assignment wizard.
    func search(prefix: String, limit: Int) -> [PrincipalRef]
}
