import Algorithms
import Foundation

/// The policy of one role: the three tabs of the Role settings page (SPEC.md, Role settings).
/// Defaults are SPEC.md's; `validate()` enforces the allowed values.
public struct RoleSettings: Codable, Sendable, Equatable {
    public var activation: ActivationSettings
    public var assignment: AssignmentSettings
    public var notification: NotificationSettings

    public init(
        activation: ActivationSettings = ActivationSettings(),
        assignment: AssignmentSettings = AssignmentSettings(),
        notification: NotificationSettings = NotificationSettings()
    ) {
        self.activation = activation
        self.assignment = assignment
        self.notification = notification
    }

    public static let defaults = RoleSettings()
}

/// How recent an MFA proof must be for an activation.
public enum MFAFreshness: Codable, Sendable, Equatable {
    /// A code is asked for on every activation (the proof must come with this request).
    case everyActivation
    /// An MFA done in this session within the last N minutes (1–60) is accepted.
    case withinMinutes(Int)
}

/// Activation tab.
public struct ActivationSettings: Codable, Sendable, Equatable {
    /// 30 min to 24 h in 30-minute steps.
    public var maximumDurationMinutes: Int = 480
    /// None (false) or TOTP MFA (true).
    public var requireMFA: Bool = true
    public var mfaFreshness: MFAFreshness = .everyActivation
    public var requireJustification: Bool = true
    public var requireTicket: Bool = false
    /// A regular expression the justification must match (anywhere; anchor it to match whole).
    public var justificationPattern: String? = nil
    /// Shown when the justification does not match the pattern.
    public var justificationPatternMessage: String? = nil
    public var requireApproval: Bool = false
    /// Approver users; with no users and no groups, PIM Administrators approve.
    public var approverUsers: [String] = []
    public var approverGroups: [String] = []
    /// Distinct approvers needed: 1 (first answer wins) to 3.
    public var approvalsRequired: Int = 1
    public var requireApproverJustification: Bool = true
    /// 1–72 h.
    public var approvalTimeoutHours: Int = 24
    public var requireApproverMFA: Bool = false

    public init() {}
}

/// The lengths an assignment may be limited to on the Assignment tab.
public enum AssignmentExpiry: String, Codable, Sendable, CaseIterable {
    case days15, month1, months3, months6, year1

    /// Length in seconds (months counted as 30 days, a year as 365 days).
    public var seconds: Double {
        let day = 86_400.0
        switch self {
        case .days15: return 15 * day
        case .month1: return 30 * day
        case .months3: return 90 * day
        case .months6: return 180 * day
        case .year1: return 365 * day
        }
    }

    public var label: String {
        switch self {
        case .days15: return "15 days"
        case .month1: return "1 month"
        case .months3: return "3 months"
        case .months6: return "6 months"
        case .year1: return "1 year"
        }
    }
}

/// Assignment tab.
public struct AssignmentSettings: Codable, Sendable, Equatable {
    /// nil: permanent eligible assignment allowed; else eligible assignments expire after this.
    public var eligibleExpiry: AssignmentExpiry? = nil
    /// nil: permanent active assignment allowed; else active assignments expire after this.
    public var activeExpiry: AssignmentExpiry? = .months6
    public var requireMFAOnActive: Bool = false
    public var requireJustificationOnActive: Bool = true

    public init() {}

    public func expiry(for type: AssignmentType) -> AssignmentExpiry? {
        type == .eligible ? eligibleExpiry : activeExpiry
    }
}

/// One row of the notification matrix.
public struct NotificationRow: Codable, Sendable, Equatable {
    public var defaultRecipients: Bool = true
    /// Addresses (a distribution list goes here).
    public var additionalRecipients: [String] = []
    public var criticalEmailsOnly: Bool = false

    public init(defaultRecipients: Bool = true, additionalRecipients: [String] = [], criticalEmailsOnly: Bool = false) {
        self.defaultRecipients = defaultRecipients
        self.additionalRecipients = additionalRecipients
        self.criticalEmailsOnly = criticalEmailsOnly
    }

    /// Parses the form field: addresses separated by `;` or `,`.
    public static func parseRecipients(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == ";" || $0 == "," })
            .map { String($0.trimming(while: \.isWhitespace)) }
            .filter { !$0.isEmpty }
    }
}

/// One section of the matrix: who hears about it.
public struct NotificationSection: Codable, Sendable, Equatable {
    public var admins = NotificationRow()
    public var assignee = NotificationRow()
    public var approvers = NotificationRow()

    public init() {}
}

public enum NotificationAudience: String, Sendable, CaseIterable {
    case admins, assignee, approvers
}

/// Which section of the matrix an event belongs to.
public enum NotificationSectionKind: String, Sendable, CaseIterable {
    case eligibleAssigned, activeAssigned, activation
}

/// Notification tab.
public struct NotificationSettings: Codable, Sendable, Equatable {
    public var eligibleAssigned = NotificationSection()
    public var activeAssigned = NotificationSection()
    public var activation = NotificationSection()

    public init() {}

    public subscript(section: NotificationSectionKind) -> NotificationSection {
        get {
            switch section {
            case .eligibleAssigned: return eligibleAssigned
            case .activeAssigned: return activeAssigned
            case .activation: return activation
            }
        }
        set {
            switch section {
            case .eligibleAssigned: eligibleAssigned = newValue
            case .activeAssigned: activeAssigned = newValue
            case .activation: activation = newValue
            }
        }
    }
}
