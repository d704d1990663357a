import Synchronization

/// A directory held in memory, for tests, the demo mode and the seeding command.
public final class InMemoryDirectory: Directory {
    private struct Contents {
        var users: [String: DirectoryUser] = [:]
        var groups: [String: DirectoryGroup] = [:]
    }

    private let contents = Mutex(Contents())

    public init(users: [DirectoryUser] = [], groups: [DirectoryGroup] = []) {
        contents.withLock { state in
            for user in users { state.users[user.name] = user }
            for group in groups { state.groups[group.name] = group }
        }
    }

    public func addUser(_ user: DirectoryUser) {
        contents.withLock { $0.users[user.name] = user }
    }

    public func setGroup(_ group: DirectoryGroup) {
        contents.withLock { $0.groups[group.name] = group }
    }

    public func user(named name: String) -> DirectoryUser? {
        contents.withLock { $0.users[name] }
    }

    public func group(named name: String) -> DirectoryGroup? {
        contents.withLock { $0.groups[name] }
    }

    public func groups(ofUser user: String) -> [String] {
        contents.withLock { state in
            state.groups.values.filter { $0.members.contains(user) }.map(\.name).sorted()
        }
    }

    public func search(prefix: String, limit: Int) -> [PrincipalRef] {
        let needle = prefix.lowercased()
        return contents.withLock { state in
            let users = state.users.keys.filter { $0.lowercased().hasPrefix(needle) }.map(PrincipalRef.user)
            let groups = state.groups.keys.filter { $0.lowercased().hasPrefix(needle) }.map(PrincipalRef.group)
            return Array((users + groups).sorted { ($0.name, $0.kind.rawValue) < ($1.name, $1.kind.rawValue) }.prefix(limit))
        }
    }
}
