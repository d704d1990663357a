public import Foundation

public struct Role: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var name: String
    public var description: String
    public var builtIn: BuiltInRole?
    public var settings: RoleSettings
    public var createdAt: Date
    public var updatedAt: Date
}
