import Synchronization

/// Users' directory entries for mail (display name and address), each kept for a short while.
///
/// Recipients are resolved inside the write transaction, on the one writer thread: a directory
/// lookup there (NSS: a scan of /etc/passwd, or a round trip to sssd) held up every write queued
/// behind it, once per mail of every activation. Only names and addresses come from here; who
/// holds or may decide a role is always asked of the directory itself.
final class DirectoryContacts: Sendable {
    private struct Entry {
        var user: DirectoryUser?
        var until: ContinuousClock.Instant
    }

    private let directory: any Directory
    private let lifetime: Duration
    private let entries = Mutex<[String: Entry]>([:])
    /// The most entries kept; past it the cache starts over (a directory of any size stays bounded).
    static let capacity = 4096

    init(directory: any Directory, lifetime: Duration) {
        self.directory = directory
        self.lifetime = lifetime
    }

    func user(named name: String) -> DirectoryUser? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[name] }), entry.until > now { return entry.user }
        let user = directory.user(named: name)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[name] = Entry(user: user, until: now + lifetime)
        }
        return user
    }
}
