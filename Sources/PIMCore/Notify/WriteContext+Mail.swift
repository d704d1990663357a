import Foundation
import GRDB

/// Recipient resolution at enqueue time (SPEC.md, Notification): admins are the holders of PIM
/// Administrator, approvers are the request's approvers (else PIM Administrators).
extension WriteContext {
    /// A user's address: the profile's (from sign-in) or else the directory's. No address, no mail.
    func contact(forUser username: String) throws -> Contact? {
        let profile = try profileContact(username)
        // The directory only when the profile lacks the address or the name.
        if let profile, let email = profile.email, !email.isEmpty, !profile.displayName.isEmpty {
            return Contact(email: email, name: profile.displayName)
        }
        let entry = directoryUser(username)
        guard let email = profile?.email ?? entry?.email, !email.isEmpty else { return nil }
        let name = profile?.displayName.isEmpty == false ? profile?.displayName : entry?.displayName
        return Contact(email: email, name: name)
    }

    func contacts(forUsers usernames: some Sequence<String>) throws -> [Contact] {
        try Set(usernames).sorted().compactMap { try contact(forUser: $0) }
    }

    func administratorUsernames() throws -> Set<String> {
        guard let admin = try administratorRoleID() else { return [] }
        return HoldingPolicy.holders(ofPrincipals: try Tables.activePrincipals(role: admin, at: now, db)) {
            directoryGroup($0)?.members ?? []
        }
    }

    func usernames(of principal: PrincipalRef) -> [String] {
        principal.kind == .user ? [principal.name] : directoryGroup(principal.name)?.members ?? []
    }

    func usernames(of approvers: Set<ApproverRef>) throws -> Set<String> {
        var users = Set<String>()
        for approver in approvers {
            switch approver {
            case .user(let name): users.insert(name)
            case .group(let name): users.formUnion(directoryGroup(name)?.members ?? [])
            case .pimAdministrators: users.formUnion(try administratorUsernames())
            }
        }
        return users
    }

    /// Queues one kind of mail to one row of the role's matrix.
    func notify(
        _ kind: OutboxKind, role: Role, section: NotificationSectionKind, audience: NotificationAudience,
        defaults: [Contact], payload: [String: String]
    ) throws {
        let row: NotificationRow = switch audience {
        case .admins: role.settings.notification[section].admins
        case .assignee: role.settings.notification[section].assignee
        case .approvers: role.settings.notification[section].approvers
        }
        let recipients = RecipientPolicy.recipients(row: row, kind: kind, defaults: defaults)
        try queue(recipients.map {
            OutboxMessage(kind: kind, recipient: $0.email, recipientName: $0.name, critical: kind.isCritical, payload: payload)
        })
    }

    /// Mail outside the matrix (request outcomes, reminders): always to these people.
    func notifyDirectly(_ kind: OutboxKind, to usernames: some Sequence<String>, payload: [String: String]) throws {
        try queue(try contacts(forUsers: usernames).map {
            OutboxMessage(kind: kind, recipient: $0.email, recipientName: $0.name, critical: kind.isCritical, payload: payload)
        })
    }

    /// The admins / assignee pair of an assignment section (assigned as eligible or active).
    func notifyAssigned(_ assignment: Assignment, role: Role, request: Int64?) throws {
        let section: NotificationSectionKind = assignment.type == .eligible ? .eligibleAssigned : .activeAssigned
        let payload = facts(role: role, assignment: assignment, request: request)
        try notify(.roleAssignmentAlert, role: role, section: section, audience: .admins,
                   defaults: try contacts(forUsers: administratorUsernames()), payload: payload)
        try notify(.assignedNotification, role: role, section: section, audience: .assignee,
                   defaults: try contacts(forUsers: usernames(of: assignment.principal)), payload: payload)
    }

    /// The admins / activated user pair of the activation section.
    func notifyActivated(_ assignment: Assignment, role: Role, request: AccessRequest) throws {
        let payload = facts(role: role, assignment: assignment, request: request.id, requestFacts: request)
        try notify(.roleActivationAlert, role: role, section: .activation, audience: .admins,
                   defaults: try contacts(forUsers: administratorUsernames()), payload: payload)
        try notify(.activatedNotification, role: role, section: .activation, audience: .assignee,
                   defaults: try contacts(forUsers: [request.requester]), payload: payload)
    }

    /// The approvers row: a request to approve an activation or an extension/renewal.
    func notifyApprovers(_ request: AccessRequest, approvers: Set<ApproverRef>, role: Role) throws {
        let (kind, section): (OutboxKind, NotificationSectionKind) = request.isActivationKind
            ? (.approveActivationRequest, .activation)
            : (.approveExtensionRequest, request.assignmentType == .active ? .activeAssigned : .eligibleAssigned)
        let users = try usernames(of: approvers).subtracting([request.requester])
        var payload = facts(role: role, assignment: nil, request: request.id, requestFacts: request)
        payload["link"] = "/approvals/\(request.id)"
        try notify(kind, role: role, section: section, audience: .approvers,
                   defaults: try contacts(forUsers: users), payload: payload)
    }

    /// A user's name as mails show it ("Ada Lovelace" rather than "ada"): the profile's, else the
    /// directory's; nil when neither knows one beyond the user name.
    func displayName(of username: String) -> String? {
        let profile = (try? profileContact(username))?.displayName
        let name = profile?.isEmpty == false ? profile : directoryUser(username)?.displayName
        return name.flatMap { $0.isEmpty || $0 == username ? nil : $0 }
    }

    /// The facts a mail shows. Dates in ISO 8601 UTC; the mail worker formats them.
    func facts(role: Role, assignment: Assignment?, request: Int64?, requestFacts: AccessRequest? = nil) -> [String: String] {
        var payload: [String: String] = ["roleName": role.name, "roleID": String(role.id), "actor": actor.username]
        payload.reserveCapacity(18)  // every key below: no rehashing while it grows
        if let request { payload["requestID"] = String(request); payload["link"] = "/requests/\(request)" }
        if let assignment {
            payload["assignee"] = assignment.principal.description
            if assignment.principal.kind == .user, let name = displayName(of: assignment.principal.name) {
                payload["assigneeName"] = name
            }
            payload["assignmentType"] = assignment.type.rawValue
            payload["windowStart"] = UTCText.iso8601(assignment.start)
            payload["windowEnd"] = assignment.end.map { UTCText.iso8601($0) } ?? "permanent"
            payload["justification"] = assignment.justification
            if request == nil { payload["link"] = "/my-roles" }
        }
        if let r = requestFacts {
            payload["requester"] = r.requester
            if let name = displayName(of: r.requester) { payload["requesterName"] = name }
            payload["requestKind"] = r.kind.rawValue
            payload["justification"] = r.justification
            payload["ticketSystem"] = r.ticketSystem
            payload["ticketNumber"] = r.ticketNumber
            if let start = r.requestedStart { payload["requestedStart"] = UTCText.iso8601(start) }
            if let seconds = r.durationSeconds { payload["duration"] = DurationText.format(minutes: seconds / 60) }
        }
        return payload
    }
}
