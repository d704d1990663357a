import Foundation
import Glibc

/// The reentrant NSS calls with their buffer dance: start from sysconf's hint and double on
/// ERANGE up to a ceiling (getpwnam_r(3), getgrnam_r(3)).
enum NSSLookup {
    struct Passwd {
        let name: String
        let uid: uid_t
        let gid: gid_t
        let gecos: String

        /// The first comma-separated GECOS field (the full name), or the account name.
        var displayName: String {
            let field = gecos.split(separator: ",", omittingEmptySubsequences: false).first ?? ""
            // ASCII (the usual GECOS): .whitespaces is space and tab there.
            let full = field.utf8.allSatisfy { $0 < 0x80 } ? Self.trimmingSpaceAndTab(field) : field.trimmingCharacters(in: .whitespaces)
            return full.isEmpty ? name : full
        }

        private static func trimmingSpaceAndTab(_ text: Substring) -> String {
            let bytes = text.utf8
            guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
                  let last = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
            return String(text[first...last])
        }
    }

    struct Group {
        let name: String
        let gid: gid_t
        let members: [String]
    }

    private static let maxBuffer = 1 << 20

    static func passwd(named name: String) -> Passwd? {
        withGrowingBuffer(hint: sysconf(Int32(_SC_GETPW_R_SIZE_MAX))) { buffer in
            var entry = Glibc.passwd()
            var result: UnsafeMutablePointer<Glibc.passwd>?
            let status = getpwnam_r(name, &entry, buffer.start, buffer.count, &result)
            guard status == 0 else { return .failed(status) }
            guard let found = result?.pointee else { return .done(nil) }
            return .done(Passwd(
                name: String(cString: found.pw_name), uid: found.pw_uid, gid: found.pw_gid,
                gecos: found.pw_gecos.map { String(cString: $0) } ?? ""))
        }
    }

    static func group(named name: String) -> Group? {
        withGrowingBuffer(hint: sysconf(Int32(_SC_GETGR_R_SIZE_MAX))) { buffer in
            var entry = Glibc.group()
            var result: UnsafeMutablePointer<Glibc.group>?
            let status = getgrnam_r(name, &entry, buffer.start, buffer.count, &result)
            guard status == 0 else { return .failed(status) }
            return .done(result.map { makeGroup($0.pointee) })
        }
    }

    static func group(id: gid_t) -> Group? {
        withGrowingBuffer(hint: sysconf(Int32(_SC_GETGR_R_SIZE_MAX))) { buffer in
            var entry = Glibc.group()
            var result: UnsafeMutablePointer<Glibc.group>?
            let status = getgrgid_r(id, &entry, buffer.start, buffer.count, &result)
            guard status == 0 else { return .failed(status) }
            return .done(result.map { makeGroup($0.pointee) })
        }
    }

    /// getgrouplist(3): returns -1 and the needed count when the array is too small.
    static func groupIDs(of user: String, primary: gid_t) -> [gid_t] {
        var count: Int32 = 32
        for _ in 0..<8 {
            var ids = [gid_t](repeating: 0, count: Int(count))
            var wanted = count
            if getgrouplist(user, primary, &ids, &wanted) >= 0 {
                return Array(ids.prefix(Int(wanted)))
            }
            guard wanted > count, wanted <= 65_536 else { return [primary] }
            count = wanted
        }
        return [primary]
    }

    private static func makeGroup(_ entry: Glibc.group) -> Group {
        var members: [String] = []
        if var cursor = entry.gr_mem {
            while let member = cursor.pointee, members.count < 100_000 {
                members.append(String(cString: member))
                cursor += 1
            }
        }
        return Group(name: String(cString: entry.gr_name), gid: entry.gr_gid, members: members)
    }

    private enum Attempt<T> {
        case done(T?)
        case failed(Int32)
    }

    private struct Buffer {
        let start: UnsafeMutablePointer<CChar>
        let count: Int
    }

    private static func withGrowingBuffer<T>(hint: Int, _ body: (Buffer) -> Attempt<T>) -> T? {
        var size = hint > 0 ? hint : 1024
        while size <= maxBuffer {
            let start = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer { start.deallocate() }
            let buffer = Buffer(start: start, count: size)
            switch body(buffer) {
            case .done(let value): return value
            case .failed(let code) where code == ERANGE: size *= 2
            case .failed: return nil
            }
        }
        return nil
    }
}
