public import Foundation
public import GRDB

/// The state of an outbox row (`outbox.status`).
public enum OutboxStatus: String, Sendable, CaseIterable, Codable {
    case queued, sent, failed
}

/// One row of PIMCore's `outbox` table: one mail to one recipient.
public struct OutboxRow: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var createdAt: Date
    public var kind: String
    public var recipient: String
    public var recipientName: String?
    public var critical: Bool
    /// JSON object of strings: the facts the templates show.
    public var payload: String
    public var messageID: String
    public var status: OutboxStatus
    public var attempts: Int
    public var nextAttemptAt: Date
    public var leaseUntil: Date?
    public var lastError: String?
    public var sentAt: Date?
}

extension OutboxRow: FetchableRecord {
    public init(row: Row) throws {
        id = row["id"]
        createdAt = row.storedDate("created_at") ?? row["created_at"]
        kind = row["kind"]
        recipient = row["recipient"]
        recipientName = row["recipient_name"]
        critical = row["critical"]
        payload = row["payload"]
        messageID = row["message_id"]
        status = OutboxStatus(rawValue: row["status"]) ?? .failed
        attempts = row["attempts"]
        nextAttemptAt = row.storedDate("next_attempt_at") ?? row["next_attempt_at"]
        leaseUntil = row.storedDate("lease_until")
        lastError = row["last_error"]
        sentAt = row.storedDate("sent_at")
    }
}
