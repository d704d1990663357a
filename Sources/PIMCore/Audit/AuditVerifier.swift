public import GRDB

/// The outcome of walking the chain.
public enum AuditVerification: Sendable, Equatable {
    case intact(events: Int64)
    case broken(BrokenLink)

    public struct BrokenLink: Sendable, Equatable, CustomStringConvertible {
        public enum Reason: String, Sendable {
            case missingEvent = "an event is missing before it (sequence gap)"
            case previousHashMismatch = "its previous-hash does not match the event before it"
            case contentHashMismatch = "its content does not match its hash (edited)"
        }
        /// The first event whose link does not hold.
        public var seq: Int64
        public var reason: Reason

        public var description: String { "audit chain broken at event \(seq): \(reason.rawValue)" }
    }
}

extension AuditLog {
    /// Walks the whole chain in order with a cursor (constant memory) and reports the first
    /// broken link. Deleting events from the very end cannot be detected by a chain alone.
    public static func verify(_ db: Database) throws -> AuditVerification {
        var expectedPrevious = genesisHash
        var expectedSeq: Int64 = 1
        var count: Int64 = 0
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit_event ORDER BY seq")
        while let row = try rows.next() {
            let event = event(from: row)
            if event.seq != expectedSeq {
                return .broken(.init(seq: event.seq, reason: .missingEvent))
            }
            if event.previousHash != expectedPrevious {
                return .broken(.init(seq: event.seq, reason: .previousHashMismatch))
            }
            if hash(of: event, previousHash: event.previousHash) != event.hash {
                return .broken(.init(seq: event.seq, reason: .contentHashMismatch))
            }
            expectedPrevious = event.hash
            expectedSeq += 1
            count += 1
        }
        return .intact(events: count)
    }
}
