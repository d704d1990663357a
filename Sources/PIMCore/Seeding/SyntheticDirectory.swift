/// A directory computed from numbers, for seeding and benchmarks at scale: users `user1`…`userN`
/// (plus `admin`), groups `group1`…`groupG`; user i belongs to group (i mod G) + 1.
public struct SyntheticDirectory: Directory {
    public let users: Int
    public let groups: Int

    public init(users: Int, groups: Int) {
        self.users = users
        self.groups = max(1, groups)
    }

    static func index(_ name: String, prefix: String) -> Int? {
        guard name.hasPrefix(prefix) else { return nil }
        return Int(name.dropFirst(prefix.count))
    }

    public func user(named name: String) -> DirectoryUser? {
        if name == "admin" { return DirectoryUser(name: name, displayName: "Administrator", email: "admin@example.org") }
        guard let i = Self.index(name, prefix: "user"), (1...users).contains(i) else { return nil }
        return DirectoryUser(name: name, displayName: "User \(i)", email: "\(name)@example.org")
    }

    public func group(named name: String) -> DirectoryGroup? {
        guard let g = Self.index(name, prefix: "group"), (1...groups).contains(g) else { return nil }
        // Members are every user with i mod G == g - 1; listing them is O(users / groups).
        let members = stride(from: g == 1 ? groups : g - 1, through: users, by: groups).map { "user\($0)" }
        return DirectoryGroup(name: name, members: members)
    }

    public func groups(ofUser user: String) -> [String] {
        guard let i = Self.index(user, prefix: "user"), (1...users).contains(i) else { return [] }
        return ["group\((i % groups) + 1)"]
    }

    public func search(prefix: String, limit: Int) -> [PrincipalRef] {
        (1...min(users, limit)).map { PrincipalRef.user("user\($0)") }.filter { $0.name.hasPrefix(prefix) }
    }
}
