/// A setting outside its allowed values.
public enum RoleSettingsError: Error, Sendable, Equatable {
    case maximumDurationOutOfRange
    case mfaFreshnessOutOfRange
    case invalidJustificationPattern
    case approvalsRequiredOutOfRange
    case approvalTimeoutOutOfRange
    case tooFewApprovers(required: Int)
    case invalidEmailAddress(String)

    public var message: String {
        switch self {
        case .maximumDurationOutOfRange:
            return "Activation maximum duration must be between 30 minutes and 24 hours, in 30-minute steps."
        case .mfaFreshnessOutOfRange: return "MFA freshness must be between 1 and 60 minutes."
        case .invalidJustificationPattern: return "The justification pattern is not a valid regular expression."
        case .approvalsRequiredOutOfRange: return "Approvals required must be 1, 2 or 3."
        case .approvalTimeoutOutOfRange: return "Approval timeout must be between 1 and 72 hours."
        case .tooFewApprovers(let required):
            return "\(required) approvals are required but fewer approvers are chosen; add approvers or a group."
        case .invalidEmailAddress(let address): return "“\(address)” is not a valid email address."
        }
    }
}

extension RoleSettings {
    /// Checks every field against SPEC.md's allowed values; throws the first violation.
    public func validate() throws(RoleSettingsError) {
        let a = activation
        guard (30...1440).contains(a.maximumDurationMinutes), a.maximumDurationMinutes % 30 == 0 else {
            throw .maximumDurationOutOfRange
        }
        if case .withinMinutes(let minutes) = a.mfaFreshness, !(1...60).contains(minutes) {
            throw .mfaFreshnessOutOfRange
        }
        if let pattern = a.justificationPattern, !pattern.isEmpty {
            guard (try? Regex(pattern)) != nil else { throw .invalidJustificationPattern }
        }
        guard (1...3).contains(a.approvalsRequired) else { throw .approvalsRequiredOutOfRange }
        guard (1...72).contains(a.approvalTimeoutHours) else { throw .approvalTimeoutOutOfRange }
        if a.requireApproval, a.approverGroups.isEmpty, !a.approverUsers.isEmpty,
           Set(a.approverUsers).count < a.approvalsRequired {
            throw .tooFewApprovers(required: a.approvalsRequired)
        }
        for section in NotificationSectionKind.allCases {
            let s = notification[section]
            for address in s.admins.additionalRecipients + s.assignee.additionalRecipients + s.approvers.additionalRecipients
            where !Self.looksLikeEmail(address) {
                throw .invalidEmailAddress(address)
            }
        }
    }

    /// A deliberately simple check (one @, a dot in the domain, no spaces or header breaks);
    /// the SMTP server is the final judge.
    static func looksLikeEmail(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !address.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0.isNewline })
    }
}

extension RoleSettings {
    /// `validate()` with its error wrapped as the use cases report it.
    func check() throws(PIMError) {
        do { try validate() } catch { throw .invalidSettings(error) }
    }
}
