public import Foundation
import GRDB

/// What Settings → Mail shows: counts per status and one page of outbox rows, newest first.
public struct MailStatusPage: Sendable, Equatable {
    public struct Counts: Sendable, Equatable {
        public var queued: Int
        public var sent: Int
        public var failed: Int
        /// Queued rows already due (waiting for the worker or for the relay to come back).
        public var due: Int
        /// When the oldest queued row was created (how far behind delivery is), nil when none.
        public var oldestQueuedAt: Date?
    }

    /// One row as the page lists it: no payload (the facts stay in the mail).
    public struct Entry: Sendable, Equatable, Identifiable {
        public var id: Int64
        public var createdAt: Date
        public var kind: String
        public var recipient: String
        public var recipientName: String?
        public var status: OutboxStatus
        public var attempts: Int
        public var nextAttemptAt: Date
        public var lastError: String?
        public var sentAt: Date?
        public var messageID: String
    }

    public var counts: Counts
    public var entries: [Entry]
    /// Rows matching the filter, for the pager.
    public var total: Int
    public var page: Int
    public var pageSize: Int

    public var pageCount: Int { max(1, (total + pageSize - 1) / pageSize) }
}

extension OutboxStore {
    /// Counts and the `page`-th (1-based) page of rows with the given status (all when nil).
    public func mailStatus(status: OutboxStatus? = nil, page: Int = 1, pageSize: Int = 50, now: Date) throws -> MailStatusPage {
        let pageSize = min(max(pageSize, 1), 500)
        let page = max(page, 1)
        return try writer.read { db in
            var counts = MailStatusPage.Counts(queued: 0, sent: 0, failed: 0, due: 0, oldestQueuedAt: nil)
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM outbox GROUP BY status") {
                let n: Int = row["n"]
                switch OutboxStatus(rawValue: row["status"]) {
                case .queued: counts.queued = n
                case .sent: counts.sent = n
                case .failed: counts.failed = n
                case nil: break
                }
            }
            counts.due = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?", arguments: [now.storedValue]) ?? 0
            counts.oldestQueuedAt = try Row.fetchOne(db, sql: "SELECT min(created_at) AS oldest FROM outbox WHERE status = 'queued'")?
                .storedDate("oldest")

            let filter = status.map { _ in "WHERE status = ?" } ?? ""
            let filterArguments: StatementArguments = status.map { [$0.rawValue] } ?? []
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox \(filter)", arguments: filterArguments) ?? 0
            let rows = try OutboxRow.fetchAll(db, sql: "SELECT * FROM outbox \(filter) ORDER BY id DESC LIMIT ? OFFSET ?",
                                              arguments: filterArguments + [pageSize, (page - 1) * pageSize])
            let entries = rows.map { row in
                MailStatusPage.Entry(id: row.id, createdAt: row.createdAt, kind: row.kind, recipient: row.recipient,
                                     recipientName: row.recipientName, status: row.status, attempts: row.attempts,
                                     nextAttemptAt: row.nextAttemptAt, lastError: row.lastError, sentAt: row.sentAt,
                                     messageID: row.messageID)
            }
            return MailStatusPage(counts: counts, entries: entries, total: total, page: page, pageSize: pageSize)
        }
    }
}
