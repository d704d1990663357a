import Glibc
import Logging
import Synchronization

/// swift-log handler writing one logfmt line per event to stdout with a single write(2):
/// `time=2026-11-25T14:15:40Z level=info label=pim msg="GET /healthz 200" bytes=2 …`.
///
/// Cheaper than StreamLogHandler on the access-log path (measured: its strftime/localtime
/// re-reads the time zone file on every line): the UTC timestamp is formatted once a second
/// and no metadata dictionaries are merged unless handler metadata is set.
struct LogfmtLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let label: String
    private let clock = TimestampCache()

    init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        // Bytes appended straight into one buffer: this runs once per request (the access log).
        var line: [UInt8] = []
        line.reserveCapacity(256)
        line.append(contentsOf: "time=".utf8)
        line.append(contentsOf: clock.now().utf8)
        line.append(contentsOf: " level=".utf8)
        line.append(contentsOf: event.level.rawValue.utf8)
        line.append(contentsOf: " label=".utf8)
        Self.appendQuoted(label, to: &line)
        line.append(contentsOf: " msg=".utf8)
        Self.appendQuoted("\(event.message)", to: &line)
        let merged = metadata.isEmpty ? (event.metadata ?? [:]) : metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() {
            line.append(0x20)
            line.append(contentsOf: key.utf8)
            line.append(0x3D)
            switch merged[key]! {
            case .string(let text): Self.appendQuoted(text, to: &line)
            case let other: Self.appendQuoted("\(other)", to: &line)
            }
        }
        line.append(0x0A)
        _ = line.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    /// `quoted(value)`'s bytes appended to `out`, byte by byte: UTF-8 sequences (bytes of 0x80
    /// and up) pass unchanged, so this matches quoting by Unicode scalars, at a third of the cost.
    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        let plain = !value.isEmpty && value.utf8.allSatisfy { $0 > 0x20 && $0 != 0x22 && $0 != 0x3D && $0 != 0x7F }
        if plain {
            out.append(contentsOf: value.utf8)
            return
        }
        out.append(0x22)
        for byte in value.utf8 {
            switch byte {
            case 0x22: out.append(0x5C); out.append(0x22)          // \"
            case 0x5C: out.append(0x5C); out.append(0x5C)          // \\
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0..<0x20, 0x7F: out.append(0x20)                  // other controls: a space
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    /// Quotes a value when it is empty or holds spaces, quotes, "=" or control characters.
    static func quoted(_ value: String) -> String {
        var out: [UInt8] = []
        appendQuoted(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// RFC 3339 UTC timestamp text, recomputed when the second changes.
final class TimestampCache: Sendable {
    private let cached = Mutex<(second: Int, text: String)>((-1, ""))

    func now() -> String {
        let second = time(nil)
        return cached.withLock { cache in
            if cache.second != second {
                var value = time_t(second)
                var parts = tm()
                gmtime_r(&value, &parts)
                func pad(_ number: Int32, _ width: Int) -> String {
                    let digits = String(number)
                    return String(repeating: "0", count: max(0, width - digits.count)) + digits
                }
                cache = (second, "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
                    + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z")
            }
            return cache.text
        }
    }
}
