import Foundation

// The data of the peer's GET /roles for its benchmark user, rebuilt exactly as
// peer-hummingbird's Seed.swift seeds it (same SplitMix64 stream, same formulas) and as its
// rolesSQL selects it (user 1's 25 assignments ordered by role name).

public struct SessionUser: Sendable {
    public var userID: Int64
    public var csrfToken: String
    public var username: String
    public var displayName: String
}

public struct RoleRow: Sendable {
    public var roleID: Int64
    public var name: String
    public var description: String
    public var assignmentType: String
    public var startAt: String
    public var endAt: String?
    public var active: Bool
    public var activationCount: Int
}

/// What roles.mustache renders (the peer's `RolesPage`).
public struct RolesPage: Sendable {
    public var title: String
    public var user: SessionUser
    public var csrf: String
    public var rows: [RoleRow]
    public var count: Int
    public var generatedAt: String
}

struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func hex(bytes: Int) -> String {
        var out = ""
        var remaining = bytes
        while remaining > 0 {
            var word = next()
            for _ in 0..<min(8, remaining) {
                out += pad(String(UInt8(truncatingIfNeeded: word), radix: 16), 2)
                word >>= 8
                remaining -= 1
            }
        }
        return out
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}

func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

extension RolesPage {
    /// The peer's page for its benchmark user (user 1).
    public static func peerBenchmarkPage() -> RolesPage {
        let areas = ["Billing", "Payroll", "Identity", "Network", "Storage", "Compute", "Audit", "Support", "Security", "Data & Analytics"]
        let levels = ["Reader", "Operator", "Admin", "Owner", "Approver"]
        let scopes = ["EU", "US", "APAC", "global", "sandbox"]
        let verbs = [
            "approve refunds & credit notes", "rotate keys for \"tier-1\" services",
            "read logs where level < warn", "grant access to <restricted> folders",
            "edit rules & exceptions", "restart nodes in the \"blue\" pool",
        ]
        let firstNames = ["Ada", "Bob", "Chloé", "Dmitri", "Eve", "Farah", "Gus", "Hana", "Ivo", "Jun"]
        let lastNames = ["O'Neil", "Smith & Sons", "Nguyen", "\"Max\" Müller", "Okafor", "<Lee>", "García"]
        let types = ["Eligible", "Active", "Permanent"]

        var rng = SplitMix64(state: 20_251_125)
        for _ in 1...10_000 {
            _ = rng.pick(firstNames)
            _ = rng.pick(lastNames)
        }
        var roles: [Int: (name: String, description: String)] = [:]
        for id in 1...200 {
            let area = areas[id % areas.count]
            let level = levels[(id / areas.count) % levels.count]
            let scope = scopes[id % scopes.count]
            roles[id] = ("\(area) \(level) <\(scope)> #\(id)",
                         "Can \(rng.pick(verbs)) in \(area) (\"\(scope)\"); sign-off & ticket, max 8h < 24h.")
        }
        _ = rng.hex(bytes: 16)  // user 1's session id
        let csrf = rng.hex(bytes: 16)

        var rows: [RoleRow] = []
        let user = 1
        for k in 0..<25 {
            let role = (user * 7 + k * 8) % 200 + 1
            let type = types[(user + k) % types.count]
            let month = pad(String((user + k) % 12 + 1), 2)
            let day = pad(String((user * 3 + k) % 28 + 1), 2)
            rows.append(RoleRow(
                roleID: Int64(role), name: roles[role]!.name, description: roles[role]!.description,
                assignmentType: type, startAt: "2025-\(month)-\(day) 09:\(pad(String(k * 2), 2))",
                endAt: type == "Permanent" ? nil : "2026-\(month)-\(day) 17:30",
                active: false, activationCount: 0))
        }
        rows.sort { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        return RolesPage(
            title: "My roles",
            user: SessionUser(userID: 1, csrfToken: csrf, username: "user00001", displayName: "Zoë \"Bench\" O'Brien & <Co>"),
            csrf: csrf, rows: rows, count: rows.count, generatedAt: "2026-11-25T12:00:00Z")
    }
}
