import PIMCore

/// The subject line per kind. Always starts "PIM:"; the facts in it are user-controlled text, so
/// `MailMessage` encodes it (RFC 2047) and strips CR/LF when serialising.
enum MailSubject {
    static func make(kind: OutboxKind, facts: MailFacts) -> String {
        let role = facts["roleName"]
        let requester = facts.person("requester")
        let assignee = facts.person("assignee")
        let days = facts.inDaysText
        let text: String
        switch kind {
        case .roleAssignmentAlert: text = "\(assignee) was assigned the role \(role)"
        case .assignedNotification: text = "You were assigned the role \(role)"
        case .approveExtensionRequest: text = "Request to approve an extension or renewal of \(role) for \(requester)"
        case .roleActivationAlert: text = "\(requester) activated the role \(role)"
        case .activatedNotification: text = "You activated the role \(role)"
        case .approveActivationRequest: text = "Request to approve an activation of \(role) by \(requester)"
        case .requestApproved: text = "Your request for \(role) was approved"
        case .requestDenied: text = "Your request for \(role) was denied"
        case .requestTimedOut: text = "Your request for \(role) timed out"
        case .requestCanceled: text = "The request of \(requester) for \(role) was canceled"
        case .requestDecided: text = "The request of \(requester) for \(role) was already decided"
        case .activationEnded: text = "Your activation of \(role) has ended"
        case .activationEndingSoon: text = "Your activation of \(role) ends in 10 minutes"
        case .assignmentExpiring: text = "The role \(role) of \(assignee) expires in \(days)"
        case .lastAdministratorExpiring: text = "The last PIM Administrator assignment expires in \(days)"
        case .assignmentRemoved: text = "The role \(role) of \(assignee) was removed"
        case .mfaReset: text = "Your multi-factor authentication was reset"
        case .mfaLocked: text = "Verification codes for your account are locked"
        case .signInLocked: text = "Sign-in to your account is locked after failed attempts"
        }
        // Facts may be empty or contain line breaks; the subject is one clean line either way.
        return HeaderEncoding.singleLine("PIM: " + text)
    }
}
