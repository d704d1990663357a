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
        try enqueue(messages, at: time, in: db, encoding: encode)
    }

    /// The same, with the payload's JSON from `encoding` (use cases reuse one text for the
    /// mails of one event).
    static func enqueue(
        _ messages: [OutboxMessage], at time: Date, in db: Database, encoding: ([String: String]) throws -> String
    ) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO outbox (created_at, kind, recipient, recipient_name, critical, payload,
              message_id, status, attempts, next_attempt_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?)
            """)
        let time = time.databaseValue
        var last: (payload: [String: String], text: String)?
        for message in messages {
            let payload: String
            if let last, last.payload == message.payload {
                payload = last.text
            } else {
                payload = try encoding(message.payload)
                last = (message.payload, payload)
            }
            try statement.execute(arguments: [
                time, message.kind.rawValue, message.recipient, message.recipientName,
                message.critical, payload, "<\(UUID().uuidString)@pim>", time,
            ])
        }
    }

    /// The stored form of a payload: JSON with sorted keys.
    static func encode(_ payload: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(payload), as: UTF8.self)
    }
}
