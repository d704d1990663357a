public import Foundation
public import GRDB

/// One mail to queue: the facts the mail worker renders (never secrets).
public struct OutboxMessage: Sendable, Equatable {
    public var kind: OutboxKind
    public var recipient: String
    public var recipientName: String?
    public var critical: Bool
    public var payload: [String: String]

    public init(kind: OutboxKind, recipient: String, recipientName: String? = nil, critical: Bool, payload: [String: String]) {
        self.kind = kind
        self.recipient = recipient
        self.recipientName = recipientName
        self.critical = critical
        self.payload = payload
    }
}

/// The `outbox` table, written inside use-case transactions; PIMMail delivers.
public enum Outbox {
    /// Queues one row per message with a stable Message-ID made now ("<UUID@pim>").
    public static func enqueue(_ messages: [OutboxMessage], at time: Date, in db: Database) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for message in messages {
            let payload = String(decoding: try encoder.encode(message.payload), as: UTF8.self)
            try db.execute(
                sql: """
                    INSERT INTO outbox (created_at, kind, recipient, recipient_name, critical, payload,
                      message_id, status, attempts, next_attempt_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?)
                    """,
                arguments: [time, message.kind.rawValue, message.recipient, message.recipientName,
                            message.critical, payload, "<\(UUID().uuidString)@pim>", time])
        }
    }
}
