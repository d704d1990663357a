public import Foundation
import Glibc
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
    /// Queues one row per message with a stable Message-ID made now (see `messageID(at:)`).
    public static func enqueue(_ messages: [OutboxMessage], at time: Date, in db: Database) throws {
        try enqueue(messages, at: time, in: db, encoding: encode)
    }

    /// The same, with the payload's JSON from `encoding` (use cases reuse one text for the
    /// mails of one event).
    static func enqueue(
        _ messages: [OutboxMessage], at time: Date, in db: Database, encoding: ([String: String]) throws -> String
    ) throws {
        let stored = UTCText.stored(time)
        var last: (payload: [String: String], text: String)?
        for message in messages {
            let payload: String
            if let last, last.payload == message.payload {
                payload = last.text
            } else {
                payload = try encoding(message.payload)
                last = (message.payload, payload)
            }
            try db.write(cached: """
                INSERT INTO outbox (created_at, kind, recipient, recipient_name, critical, payload,
                  message_id, status, attempts, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?)
                """) {
                $0.bind(stored); $0.bind(message.kind.rawValue); $0.bind(message.recipient); $0.bind(message.recipientName)
                $0.bind(message.critical); $0.bind(payload); $0.bind(messageID(at: time)); $0.bind(stored)
            }
        }
    }

    /// "<0001764980000123.<32 hex digits>@pim>": milliseconds since 1970, zero-padded, then 128
    /// random bits (arc4random_buf: the system's CSPRNG, without a system call per id). The
    /// random part makes it unique (no index checks it: see migration core-9); the time in
    /// front orders ids as mails were queued.
    static func messageID(at time: Date) -> String {
        var milliseconds = UInt64(max(0, min(9e15, (time.timeIntervalSince1970 * 1000).rounded(.down))))
        var random: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &random) { arc4random_buf($0.baseAddress!, $0.count) }
        return String(unsafeUninitializedCapacity: 55) { out in
            out[0] = UInt8(ascii: "<")
            for i in stride(from: 16, through: 1, by: -1) {
                out[i] = UInt8(ascii: "0") + UInt8(milliseconds % 10)
                milliseconds /= 10
            }
            out[17] = UInt8(ascii: ".")
            for i in 0..<16 {
                let shift = 60 - 4 * UInt64(i)
                out[18 + i] = hex[Int((random.0 >> shift) & 0xF)]
                out[34 + i] = hex[Int((random.1 >> shift) & 0xF)]
            }
            for (i, byte) in "@pim>".utf8.enumerated() { out[50 + i] = byte }
            return 55
        }
    }

    /// The stored form of a payload: a JSON object of strings, keys sorted, escaped as
    /// `JSONEncoder` escapes (`"`, `\\`, `/` and control characters). Written by hand: the
    /// encoder's generic machinery cost a tenth of an activation.
    static func encode(_ payload: [String: String]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(512)
        for (n, entry) in payload.sorted(by: { $0.key < $1.key }).enumerated() {
            if n > 0 { bytes.append(UInt8(ascii: ",")) }
            appendString(entry.key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            appendString(entry.value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// What each byte becomes inside a JSON string: 0 copied as is, else the letter after a
    /// backslash (`u` for \u00XX).
    private static let escapes: [UInt8] = (0...255).map { byte -> UInt8 in
        switch byte {
        case 0x22, 0x5C, 0x2F: UInt8(byte)
        case 0x0A: UInt8(ascii: "n")
        case 0x0D: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        case 0x08: UInt8(ascii: "b")
        case 0x0C: UInt8(ascii: "f")
        case 0..<0x20: UInt8(ascii: "u")
        default: 0
        }
    }

    /// One pass over the UTF-8 bytes with a table lookup each: checking first and copying
    /// after was 3% of the writer's work per activation (32 strings per payload).
    private static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            escapes.withUnsafeBufferPointer { escapes in
                var copied = 0
                for (index, byte) in utf8.enumerated() where escapes[Int(byte)] != 0 {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[copied..<index]))
                    let letter = escapes[Int(byte)]
                    bytes.append(UInt8(ascii: "\\"))
                    bytes.append(letter)
                    if letter == UInt8(ascii: "u") {
                        bytes += [UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                    }
                    copied = index + 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[copied...]))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
