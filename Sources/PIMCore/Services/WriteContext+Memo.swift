import GRDB

/// Answers one use-case transaction asks for several times and that its own writes cannot
/// change: directory lookups (NSS calls in production; one transaction sees one answer), the
/// name and address of users' profiles (only sign-in, outside PIMCore's use cases, sets them).
/// Who holds a role is not kept: a use case may change it between two questions. (The ids of
/// the built-in roles are kept for the store's life: `BuiltInRoleIDs`.)
struct WriteMemo {
    var groupsOfUser: [String: [String]] = [:]
    var users: [String: DirectoryUser?] = [:]
    var groups: [String: DirectoryGroup?] = [:]
    var profiles: [String: ProfileContact?] = [:]
    /// The last outbox payload encoded: the mails of one event share their facts.
    var lastPayload: (payload: [String: String], text: String)?
}

/// The part of a user's profile that mails use.
struct ProfileContact: Equatable {
    var displayName: String
    var email: String?
}

extension WriteContext {
    func groups(ofUser user: String) -> [String] {
        if let known = memo.groupsOfUser[user] { return known }
        let groups = directory.groups(ofUser: user)
        memo.groupsOfUser[user] = groups
        return groups
    }

    /// A user's directory entry for mail (name, address): see `DirectoryContacts`.
    func directoryUser(_ name: String) -> DirectoryUser? {
        if let known = memo.users[name] { return known }
        let user = contacts.user(named: name)
        memo.users[name] = .some(user)
        return user
    }

    func directoryGroup(_ name: String) -> DirectoryGroup? {
        if let known = memo.groups[name] { return known }
        let group = directory.group(named: name)
        memo.groups[name] = .some(group)
        return group
    }

    func profileContact(_ username: String) throws -> ProfileContact? {
        if let known = memo.profiles[username] { return known }
        let contact = try UserProfiles.contact(username, in: db)
        memo.profiles[username] = .some(contact)
        return contact
    }

    func administratorRoleID() throws -> Int64? {
        try builtInRoleIDs.id(of: .pimAdministrator, in: db)
    }

    /// Inserts an assignment (`Tables.insert`), knowing PIM Administrator's id.
    func insert(_ assignment: Assignment) throws -> Assignment {
        try Tables.insert(assignment, isAdministratorRole: assignment.roleID == administratorRoleID(), db)
    }

    /// The stored JSON of an outbox payload, encoded once for the mails that share it.
    func encodedPayload(_ payload: [String: String]) -> String {
        if let last = memo.lastPayload, last.payload == payload { return last.text }
        let text = Outbox.encode(payload)
        memo.lastPayload = (payload, text)
        return text
    }
}
