/// Hands one serialised message to a mail relay for one recipient.
public protocol MailTransport: Sendable {
    func send(_ message: [UInt8], from sender: EmailAddress, to recipient: EmailAddress) async throws(MailError)
}
