/// A user or a group, by the name NSS knows it under.
public struct PrincipalRef: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable { case user, group }

    public var kind: Kind
    public var name: String

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    public static func user(_ name: String) -> PrincipalRef { PrincipalRef(kind: .user, name: name) }
    public static func group(_ name: String) -> PrincipalRef { PrincipalRef(kind: .group, name: name) }

    /// "alice" or "Group: admins", as pages show it and the audit log stores it.
    public var description: String { kind == .user ? name : "Group: \(name)" }
}
