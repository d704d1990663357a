public import Foundation

/// An assignment with its role's name and, when inherited, the group it comes through.
public struct RoleAssignmentRow: Sendable, Equatable {
    public var assignment: Assignment
    public var roleName: String
    /// "Group: NAME" membership: the group the assignment names, nil for a direct one.
    public var viaGroup: String?
}

/// The three tabs of My roles.
public struct MyRoles: Sendable, Equatable {
    public var eligible: [RoleAssignmentRow]
    public var active: [RoleAssignmentRow]
    public var expired: [RoleAssignmentRow]
}

/// A request with its role's name and the answers so far.
public struct RequestRow: Sendable, Equatable {
    public var request: AccessRequest
    public var roleName: String
    public var decisions: [RequestDecision]
}

/// One line of the Roles list.
public struct RoleSummary: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var description: String
    public var builtIn: BuiltInRole?
    public var eligibleCount: Int
    public var activeCount: Int
    public var permanentActiveCount: Int
}

public enum AssignmentTab: String, Sendable, CaseIterable {
    case eligible, active, expired
}

/// The filters of the Audit page.
public struct AuditFilter: Sendable, Equatable {
    public var since: Date?
    /// Exclusive.
    public var until: Date?
    public var roleID: Int64?
    /// Events where this user is the actor or the target.
    public var user: String?
    public var action: String?

    public init(since: Date? = nil, until: Date? = nil, roleID: Int64? = nil, user: String? = nil, action: String? = nil) {
        self.since = since
        self.until = until
        self.roleID = roleID
        self.user = user
        self.action = action
    }
}

/// What the home page points out.
public struct AttentionItems: Sendable, Equatable {
    public var pendingApprovals: Int
    public var myPendingRequests: Int
    public var activeRoles: Int
    /// Eligible or active assignments of mine ending within 14 days.
    public var expiringSoon: [RoleAssignmentRow]
}
