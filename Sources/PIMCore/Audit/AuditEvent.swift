public import Foundation

/// Whether the audited attempt succeeded.
public enum AuditResult: String, Sendable, Codable {
    case success, failure
}

/// What a use case asks the audit log to record; `AuditLog.append` adds seq and hashes.
public struct AuditEventDraft: Sendable, Equatable {
    public var time: Date
    public var actor: String
    public var action: String
    public var target: String?
    public var roleID: Int64?
    public var roleName: String?
    public var requestID: Int64?
    public var assignmentID: Int64?
    public var justification: String?
    public var ticket: String?
    public var result: AuditResult
    public var sourceAddress: String?
    public var details: String

    public init(
        time: Date, actor: String, action: String, target: String? = nil,
        roleID: Int64? = nil, roleName: String? = nil, requestID: Int64? = nil,
        assignmentID: Int64? = nil, justification: String? = nil, ticket: String? = nil,
        result: AuditResult = .success, sourceAddress: String? = nil, details: String = ""
    ) {
        self.time = time
        self.actor = actor
        self.action = action
        self.target = target
        self.roleID = roleID
        self.roleName = roleName
        self.requestID = requestID
        self.assignmentID = assignmentID
        self.justification = justification
        self.ticket = ticket
        self.result = result
        self.sourceAddress = sourceAddress
        self.details = details
    }
}

/// One stored event of the chain.
public struct AuditEvent: Sendable, Equatable {
    public var seq: Int64
    /// The time as stored (UTC text "YYYY-MM-DD HH:MM:SS.SSS"), which the hash covers.
    public var timeText: String
    public var time: Date
    public var actor: String
    public var action: String
    public var target: String?
    public var roleID: Int64?
    public var roleName: String?
    public var requestID: Int64?
    public var assignmentID: Int64?
    public var justification: String?
    public var ticket: String?
    public var result: String
    public var sourceAddress: String?
    public var details: String
    public var previousHash: String
    public var hash: String
}
