import Foundation
public import PIMCore
import Synchronization

/// How PIM reads users and groups from the host's name service switch.
public struct NSSDirectoryConfiguration: Sendable, Equatable {
    /// Mail address pattern; `{user}` becomes the account name. Nil: no address known.
    public var emailPattern: String?
    /// Users and groups below this id (system accounts) are left out of search results.
    public var minimumSearchID: UInt32
    /// Entries read at most per enumeration, so a huge directory cannot stall a request.
    public var maxEnumerated: Int

    public init(emailPattern: String? = "{user}@example.org", minimumSearchID: UInt32 = 1000, maxEnumerated: Int = 50_000) {
        self.emailPattern = emailPattern
        self.minimumSearchID = minimumSearchID
        self.maxEnumerated = maxEnumerated
    }

    /// The address for `user`, or nil without a pattern.
    public func email(for user: String) -> String? {
        // The standard library's split, not NSString's replacingOccurrences: mails ask for
        // addresses inside the one writer's transactions.
        emailPattern.map { $0.split(separator: "{user}", omittingEmptySubsequences: false).joined(separator: user) }
    }
}

/// PIMCore's `Directory` over NSS (nsswitch.conf(5)): files, sss, ldap, whatever the host uses.
/// Lookups use the reentrant calls, and every call runs under one lock (see `nssLock`).
public struct NSSDirectory: Directory {
    public let configuration: NSSDirectoryConfiguration

    /// One NSS call at a time. Enumeration (getpwent/getgrent) shares libc's one cursor, and not
    /// every NSS module is safe for concurrent lookups even through the reentrant calls:
    /// nss_wrapper shares its parsing state, so concurrent getgrouplist(3) walks skipped groups
    /// (an eligible user was refused as not eligible) and could crash. Lookups are short.
    private static let nssLock = Mutex(())

    public init(configuration: NSSDirectoryConfiguration = NSSDirectoryConfiguration()) {
        self.configuration = configuration
    }

    public func user(named name: String) -> DirectoryUser? {
        guard NSSName.isPlausible(name), let entry = Self.nssLock.withLock({ _ in NSSLookup.passwd(named: name) }) else { return nil }
        return DirectoryUser(name: entry.name, displayName: entry.displayName, email: configuration.email(for: entry.name))
    }

    public func group(named name: String) -> DirectoryGroup? {
        guard NSSName.isPlausible(name), let entry = Self.nssLock.withLock({ _ in NSSLookup.group(named: name) }) else { return nil }
        return DirectoryGroup(name: entry.name, members: entry.members)
    }

    /// getgrouplist(3): every group of the user, the primary one included, sorted by name.
    public func groups(ofUser user: String) -> [String] {
        guard NSSName.isPlausible(user) else { return [] }
        return Self.nssLock.withLock { _ in
            guard let entry = NSSLookup.passwd(named: user) else { return [] }
            let ids = NSSLookup.groupIDs(of: entry.name, primary: entry.gid)
            return Set(ids.compactMap { NSSLookup.group(id: $0)?.name }).sorted()
        }
    }

    public func search(prefix: String, limit: Int) -> [PrincipalRef] {
        guard limit > 0, prefix.utf8.count <= 256 else { return [] }
        let needle = prefix.lowercased()
        var found: [PrincipalRef] = []
        Self.nssLock.withLock { _ in
            setpwent()
            defer { endpwent() }
            var seen = 0
            while seen < configuration.maxEnumerated, let entry = getpwent() {
                seen += 1
                guard entry.pointee.pw_uid >= configuration.minimumSearchID else { continue }
                let name = String(cString: entry.pointee.pw_name)
                if name.lowercased().hasPrefix(needle) { found.append(.user(name)) }
            }
            setgrent()
            defer { endgrent() }
            seen = 0
            while seen < configuration.maxEnumerated, let entry = getgrent() {
                seen += 1
                guard entry.pointee.gr_gid >= configuration.minimumSearchID else { continue }
                let name = String(cString: entry.pointee.gr_name)
                if name.lowercased().hasPrefix(needle) { found.append(.group(name)) }
            }
        }
        let unique = Array(Set(found))
        return Array(unique.sorted { ($0.name, $0.kind.rawValue) < ($1.name, $1.kind.rawValue) }.prefix(limit))
    }
}

/// Names we pass to NSS at all: no NUL or control characters, bounded length.
enum NSSName {
    static func isPlausible(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 256
            && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
