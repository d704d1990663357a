import Foundation
import GRDB

/// Streams the filtered audit log as CSV (see `AuditCSV`): the byte order mark and header, then
/// one chunk per batch of events. Each batch is one short read transaction over a cursor, and
/// the next starts below the last seq written, so memory stays at one batch whatever the size of
/// the log and no read transaction stays open while the client is slow. The log is append-only
/// with increasing seq, so walking down from the newest event misses and repeats nothing.
struct AuditExport: Sendable {
    static let header = [
        "Sequence", "Time", "Actor", "Action", "Role", "Member", "Justification", "Ticket", "Result",
        "Request ID", "Source address", "Details",
    ]

    let pool: DatabasePool
    let filter: AuditFilter
    let timeZone: TimeZone
    var batchSize = 500

    /// Calls `write` with each chunk in order; stops at the first error `write` throws (the
    /// client went away).
    func stream(_ write: ([UInt8]) async throws -> Void) async throws {
        var head = AuditCSV.byteOrderMark
        AuditCSV.appendRecord(Self.header, to: &head)
        try await write(head)
        let format = Date.ISO8601FormatStyle(timeZone: timeZone)
        var before = filter.before
        while true {
            let (chunk, last) = try await pool.read { [filter, batchSize, before] db in
                var chunk: [UInt8] = []
                chunk.reserveCapacity(batchSize * 160)
                let last = try AuditQuery.forEach(filter, before: before, limit: batchSize, in: db) { event in
                    AuditCSV.appendRecord(Self.fields(of: event, format: format), to: &chunk)
                }
                return (chunk, last)
            }
            guard let last else { return }
            try await write(chunk)
            before = last
        }
    }

    static func fields(of event: AuditRow, format: Date.ISO8601FormatStyle) -> [String?] {
        [
            String(event.seq), event.time.formatted(format), event.actor, event.action, event.roleName,
            event.target, event.justification, event.ticket, event.result, event.requestID.map(String.init),
            event.sourceAddress, event.details,
        ]
    }
}
