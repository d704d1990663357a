/// Someone a mail can go to.
public struct Contact: Hashable, Sendable {
    public var email: String
    public var name: String?

    public init(email: String, name: String? = nil) {
        self.email = email
        self.name = name
    }
}

/// The notification matrix: which addresses one row of one section sends a mail kind to.
public enum RecipientPolicy {
    /// Default recipients when the row's checkbox is on, plus its additional recipients; none
    /// when the row is "critical emails only" and the mail asks for no action.
    public static func recipients(row: NotificationRow, kind: OutboxKind, defaults: [Contact]) -> [Contact] {
        if row.criticalEmailsOnly && !kind.isCritical { return [] }
        var seen = Set<String>()
        var result: [Contact] = []
        let candidates = (row.defaultRecipients ? defaults : []) + row.additionalRecipients.map { Contact(email: $0) }
        for contact in candidates where seen.insert(contact.email.lowercased()).inserted {
            result.append(contact)
        }
        return result
    }
}
