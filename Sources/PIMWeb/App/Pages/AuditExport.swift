import Foundation
import PIMCore

/// Streams the filtered audit log as CSV (PIMCore's `AuditCSV`: RFC 4180, formula cells
/// neutralised) after a UTF-8 byte order mark so spreadsheets read it as UTF-8. Events come in
/// batches through PIMCore's keyset audit query, newest first, each batch one short read; the
/// next batch starts below the last seq written. So memory holds one batch whatever the size of
/// the log, no read transaction stays open while a slow client drains the socket, and as the log
/// is append-only with increasing seq, nothing is missed or repeated.
struct AuditExport: Sendable {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    let queries: PIMQueries
    let filter: AuditFilter
    var batchSize = 500

    /// Calls `write` with each chunk in order; stops at the first error `write` throws (the
    /// client went away).
    func stream(_ write: ([UInt8]) async throws -> Void) async throws {
        try await write(Self.byteOrderMark + Array(AuditCSV.line(AuditCSV.header).utf8))
        var before: Int64?
        while true {
            let events = try await queries.auditPage(filter: filter, before: before, limit: batchSize)
            guard let last = events.last else { return }
            var chunk: [UInt8] = []
            chunk.reserveCapacity(events.count * 200)
            for event in events { chunk.append(contentsOf: AuditCSV.line(for: event).utf8) }
            try await write(chunk)
            before = last.seq
        }
    }
}
