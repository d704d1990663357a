public import Foundation

/// Every refusal of a PIMCore use case. `message` is the sentence a page shows on the form;
/// it never contains secrets.
public enum PIMError: Error, Sendable, Equatable, CustomStringConvertible {
    // Roles and settings
    case roleNotFound
    case roleNameEmpty
    case roleNameTaken(String)
    case builtInRoleCannotChange(String)
    case roleHasAssignments(String)
    case invalidSettings(RoleSettingsError)
    // Who may do what
    case notAuthorized
    case unknownPrincipal(String)
    case noMembers
    // Windows and durations
    case durationTooLong(maximumMinutes: Int)
    case durationTooShort
    case startInPast
    case endBeforeStart
    case windowBeyondLimit(type: AssignmentType, limit: String)
    case permanentNotAllowed(AssignmentType)
    case notEligible(role: String)
    case startOutsideEligibility
    case eligibilityEndsTooSoon
    case overlappingAssignment(principal: String)
    // What a request needs
    case justificationRequired
    case justificationPatternMismatch(String)
    case ticketRequired
    case mfaRequired
    case pendingRequestExists(role: String)
    // Requests and decisions
    case requestNotFound
    case requestNotPending(RequestStatus)
    case selfApproval
    case notAnApprover
    case alreadyDecided
    case approverJustificationRequired
    case approverMFARequired
    case notRequester
    // Assignments
    case assignmentNotFound
    case notYourAssignment
    case notAnActivation
    case assignmentEnded
    case assignmentNotExpired
    case deactivationTooSoon
    case extensionNotLonger
    case lastAdministrator
    case alreadyBootstrapped

    public var message: String {
        switch self {
        case .roleNotFound: return "This role does not exist."
        case .roleNameEmpty: return "A role needs a name."
        case .roleNameTaken(let name): return "A role named “\(name)” already exists."
        case .builtInRoleCannotChange(let name): return "“\(name)” is built in and cannot be renamed or deleted."
        case .roleHasAssignments(let name): return "“\(name)” still has assignments; remove them first."
        case .invalidSettings(let error): return error.message
        case .notAuthorized: return "Only PIM Administrators can do this."
        case .unknownPrincipal(let name): return "No user or group named “\(name)”."
        case .noMembers: return "Choose at least one member."
        case .durationTooLong(let minutes): return "Duration is longer than this role allows (max \(DurationText.format(minutes: minutes)))"
        case .durationTooShort: return "An assignment lasts at least 5 minutes."
        case .startInPast: return "The start time is in the past."
        case .endBeforeStart: return "The end is before the start."
        case .windowBeyondLimit(let type, let limit):
            return "\(type == .eligible ? "Eligible" : "Active") assignments of this role expire after \(limit); choose an earlier end."
        case .permanentNotAllowed(let type):
            return "This role does not allow permanent \(type.rawValue) assignments; choose an end."
        case .notEligible(let role): return "You are not eligible for \(role)."
        case .startOutsideEligibility: return "The requested start is outside your eligibility."
        case .eligibilityEndsTooSoon: return "Your eligibility ends in less than 5 minutes."
        case .overlappingAssignment(let principal): return "\(principal) already has this kind of assignment for this role in that window."
        case .justificationRequired: return "A justification is required."
        case .justificationPatternMismatch(let message): return message
        case .ticketRequired: return "Ticket system and ticket number are required."
        case .mfaRequired: return "Additional verification required"
        case .pendingRequestExists(let role): return "You already have a pending request for \(role)."
        case .requestNotFound: return "This request does not exist."
        case .requestNotPending(let status): return "This request is no longer pending (it is \(status.rawValue))."
        case .selfApproval: return "You cannot approve your own request."
        case .notAnApprover: return "You are not an approver of this request."
        case .alreadyDecided: return "You have already answered this request."
        case .approverJustificationRequired: return "A justification is required to approve or deny."
        case .approverMFARequired: return "Approving this role requires a verification code."
        case .notRequester: return "Only the requester can cancel this request."
        case .assignmentNotFound: return "This assignment does not exist."
        case .notYourAssignment: return "This assignment is not yours."
        case .notAnActivation: return "Only an activation can be deactivated or revoked."
        case .assignmentEnded: return "This assignment has already ended."
        case .assignmentNotExpired: return "Only an expired assignment can be renewed."
        case .deactivationTooSoon: return "An activation cannot be deactivated in its first 5 minutes."
        case .extensionNotLonger: return "The extension would not end later than the current activation."
        case .lastAdministrator: return "This is the last active PIM Administrator assignment; assign another PIM Administrator first."
        case .alreadyBootstrapped: return "PIM already has a PIM Administrator."
        }
    }

    public var description: String { message }
}

/// "1 h", "30 min", "1 h 30 min".
public enum DurationText {
    public static func format(minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        switch (hours, rest) {
        case (0, _): return "\(rest) min"
        case (_, 0): return "\(hours) h"
        default: return "\(hours) h \(rest) min"
        }
    }

    public static func format(seconds: TimeInterval) -> String { format(minutes: Int(seconds / 60)) }
}
