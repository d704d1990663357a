public import Foundation
public import GRDB

/// The delivery side of the outbox: claim due rows, record outcomes, retry, report.
/// Every method is one short transaction; none is held while SMTP runs.
public struct OutboxStore: Sendable {
    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Claims up to `limit` due rows (queued, next attempt ≤ now, no live lease) by setting
    /// their lease to `now + lease`, oldest due first. Rows leased here are invisible to other
    /// claims until they are marked or the lease runs out.
    public func claimDue(now: Date, lease: Duration, limit: Int) throws -> [OutboxRow] {
        try writer.write { db in
            let rows = try OutboxRow.fetchAll(db, sql: """
                SELECT * FROM outbox
                WHERE status = 'queued' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                ORDER BY next_attempt_at, id LIMIT ?
                """, arguments: [now.storedValue, now.storedValue, limit])
            let until = now.addingTimeInterval(lease.timeInterval)
            for row in rows {
                try db.execute(sql: "UPDATE outbox SET lease_until = ? WHERE id = ?", arguments: [until.storedValue, row.id])
            }
            return rows.map { row in
                var leased = row
                leased.leaseUntil = until
                return leased
            }
        }
    }

    /// Marks a row sent after the relay accepted it.
    public func markSent(id: Int64, now: Date) throws {
        try writer.write { db in
            try db.execute(sql: """
                UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, lease_until = NULL, last_error = NULL
                WHERE id = ? AND status = 'queued'
                """, arguments: [now.storedValue, id])
        }
    }

    /// Records a failed attempt: requeued for `retry(at:)` or failed for good, with the error.
    public func recordFailure(id: Int64, error: String, decision: RetryPolicy.Decision) throws {
        try writer.write { db in
            switch decision {
            case .retry(let at):
                try db.execute(sql: """
                    UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL, last_error = ?
                    WHERE id = ? AND status = 'queued'
                    """, arguments: [at.storedValue, error, id])
            case .fail:
                try db.execute(sql: """
                    UPDATE outbox SET attempts = attempts + 1, status = 'failed', lease_until = NULL, last_error = ?
                    WHERE id = ? AND status = 'queued'
                    """, arguments: [error, id])
            }
        }
    }

    /// Gives back claimed rows that were not attempted (the relay failed on an earlier row of
    /// the batch): no attempt is counted, they become due again at `until`.
    public func release(ids: [Int64], until: Date) throws {
        guard !ids.isEmpty else { return }
        try writer.write { db in
            for id in ids {
                try db.execute(sql: """
                    UPDATE outbox SET lease_until = NULL, next_attempt_at = max(next_attempt_at, ?)
                    WHERE id = ? AND status = 'queued'
                    """, arguments: [until.storedValue, id])
            }
        }
    }

    /// Drops every lease. Only for a worker that knows it is the sole one on this database (the
    /// SQLite deployment) and is starting: leases left by a killed process would otherwise delay
    /// those mails until they run out.
    @discardableResult
    public func releaseAllLeases() throws -> Int {
        try writer.write { db in
            try db.execute(sql: "UPDATE outbox SET lease_until = NULL WHERE status = 'queued' AND lease_until IS NOT NULL")
            return db.changesCount
        }
    }

    /// The earliest instant a queued row becomes due (its next attempt or its lease's end).
    public func nextDue() throws -> Date? {
        try writer.read { db in
            try Row.fetchOne(db, sql: """
                SELECT min(max(next_attempt_at, coalesce(lease_until, next_attempt_at))) AS due FROM outbox WHERE status = 'queued'
                """)?.storedDate("due")
        }
    }

    /// Settings → Mail "Retry": a failed row is queued again, due at once, with a fresh count.
    /// Returns false when the row is not (or no longer) failed.
    @discardableResult
    public func retry(id: Int64, now: Date) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: """
                UPDATE outbox SET status = 'queued', next_attempt_at = ?, attempts = 0, lease_until = NULL
                WHERE id = ? AND status = 'failed'
                """, arguments: [now.storedValue, id])
            return db.changesCount == 1
        }
    }

    /// Retries every failed row; returns how many.
    @discardableResult
    public func retryAllFailed(now: Date) throws -> Int {
        try writer.write { db in
            try db.execute(sql: """
                UPDATE outbox SET status = 'queued', next_attempt_at = ?, attempts = 0, lease_until = NULL
                WHERE status = 'failed'
                """, arguments: [now.storedValue])
            return db.changesCount
        }
    }
}
