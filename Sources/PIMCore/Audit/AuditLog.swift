public import Foundation
public import GRDB
import Crypto

/// The tamper-evident audit log: an append-only table where each event stores
/// `hash = SHA-256(previous hash ‖ canonical encoding of this event)`, so editing, inserting or
/// deleting an event in the middle breaks every later link.
public enum AuditLog {
    /// The previous hash of the first event.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The text with each NUL replaced by U+FFFD. SQLite text goes in and out as C strings,
    /// which end at a NUL: an event hashed with one would read back shorter and fail
    /// verification, so a user could make the chain look tampered with by typing one.
    static func storable(_ text: String) -> String {
        text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    }

    /// A WHERE condition for events at or after `time`. Audit times never decrease along the
    /// chain (see `append`), so a time range is a seq range, found with one O(log n) probe of
    /// the time index; SQLite then walks only that range of the table in seq order.
    public static func since(_ time: Date) -> (sql: String, arguments: StatementArguments) {
        let text = UTCText.stored(time)
        return ("""
            time >= ? AND seq >= coalesce((SELECT seq FROM audit_event INDEXED BY audit_by_time WHERE time >= ?
              ORDER BY time LIMIT 1), 9223372036854775807)
            """, [text, text])
    }

    /// A WHERE condition for events before `time` (see `since`).
    public static func before(_ time: Date) -> (sql: String, arguments: StatementArguments) {
        let text = UTCText.stored(time)
        return ("""
            time < ? AND seq <= coalesce((SELECT seq FROM audit_event INDEXED BY audit_by_time WHERE time < ?
              ORDER BY time DESC LIMIT 1), -1)
            """, [text, text])
    }

    /// Appends one event inside the caller's write transaction, so the event commits or rolls
    /// back with the change it records. Returns the stored event.
    @discardableResult
    public static func append(_ draft: AuditEventDraft, in db: Database) throws -> AuditEvent {
        // Writes are serialised (one writer), so the last row read here is the chain's tail.
        let tail = try Tables.one(db, "SELECT seq, time, hash FROM audit_event ORDER BY seq DESC LIMIT 1", bind: { _ in }) {
            (seq: $0.int64(0), time: $0.string(1), hash: $0.string(2))
        }
        let previousHash = tail?.hash ?? genesisHash
        let seq = (tail?.seq ?? 0) + 1
        // Times never decrease along the chain: if the host clock stepped back, the event keeps
        // its predecessor's time. Chain order and time order then agree, which date-range
        // queries rely on (they turn a time range into a seq range).
        let drafted = UTCText.stored(draft.time)
        let previousTime = tail?.time ?? ""
        let timeText = max(drafted, previousTime)
        var event = AuditEvent(
            seq: seq, timeText: timeText, time: UTCText.storedDate(timeText) ?? Date.fromDatabaseValue(timeText.databaseValue) ?? draft.time,
            actor: storable(draft.actor), action: storable(draft.action),
            target: draft.target.map(storable), roleID: draft.roleID, roleName: draft.roleName.map(storable),
            requestID: draft.requestID, assignmentID: draft.assignmentID,
            justification: draft.justification.map(storable), ticket: draft.ticket.map(storable), result: draft.result.rawValue,
            sourceAddress: draft.sourceAddress.map(storable), details: storable(draft.details),
            previousHash: previousHash, hash: "")
        event.hash = hash(of: event, previousHash: previousHash)
        try db.write(cached: """
            INSERT INTO audit_event (seq, time, actor, action, target, role_id, role_name, request_id,
              assignment_id, justification, ticket, result, source_address, details, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) {
            $0.bind(event.seq); $0.bind(timeText); $0.bind(event.actor); $0.bind(event.action); $0.bind(event.target)
            $0.bind(event.roleID); $0.bind(event.roleName); $0.bind(event.requestID); $0.bind(event.assignmentID)
            $0.bind(event.justification); $0.bind(event.ticket); $0.bind(event.result); $0.bind(event.sourceAddress)
            $0.bind(event.details); $0.bind(event.previousHash); $0.bind(event.hash)
        }
        return event
    }

    /// The canonical encoding: every field in a fixed order as `name:length:value\n`
    /// (length in UTF-8 bytes, `-` for an absent value), so no two events encode alike.
    /// Written into one buffer: building each line as arrays of its own cost a fifth of an
    /// audit append, and `pim audit verify` encodes every event of the chain.
    static func canonicalEncoding(of event: AuditEvent) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + (event.justification?.utf8.count ?? 0) + event.details.utf8.count)
        func field(_ name: StaticString, _ value: String?) {
            bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            bytes.append(UInt8(ascii: ":"))
            if let value {
                bytes.append(contentsOf: String(value.utf8.count).utf8)
                bytes.append(UInt8(ascii: ":"))
                bytes.append(contentsOf: value.utf8)
            } else {
                bytes.append(UInt8(ascii: "-"))
                bytes.append(UInt8(ascii: ":"))
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        field("seq", String(event.seq))
        field("time", event.timeText)
        field("actor", event.actor)
        field("action", event.action)
        field("target", event.target)
        field("role_id", event.roleID.map(String.init))
        field("role_name", event.roleName)
        field("request_id", event.requestID.map(String.init))
        field("assignment_id", event.assignmentID.map(String.init))
        field("justification", event.justification)
        field("ticket", event.ticket)
        field("result", event.result)
        field("source_address", event.sourceAddress)
        field("details", event.details)
        return bytes
    }

    /// SHA-256 over the previous hash (its 64 hex characters) followed by the canonical encoding.
    static func hash(of event: AuditEvent, previousHash: String) -> String {
        var hasher = SHA256()
        var previous = previousHash
        previous.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        hasher.update(data: canonicalEncoding(of: event))
        return hex(hasher.finalize())
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func event(from row: Row) -> AuditEvent {
        let timeText: String = row["time"]
        return AuditEvent(
            seq: row["seq"], timeText: timeText,
            time: UTCText.storedDate(timeText) ?? Date.fromDatabaseValue(timeText.databaseValue) ?? .distantPast,
            actor: row["actor"], action: row["action"], target: row["target"],
            roleID: row["role_id"], roleName: row["role_name"], requestID: row["request_id"],
            assignmentID: row["assignment_id"], justification: row["justification"],
            ticket: row["ticket"], result: row["result"], sourceAddress: row["source_address"],
            details: row["details"], previousHash: row["prev_hash"], hash: row["hash"])
    }
}
