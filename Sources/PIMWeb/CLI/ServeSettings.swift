import Foundation

/// Settings of `pim serve --config FILE`: `key = value` lines, `#` comments. Keys:
/// `trusted_proxies` (comma-separated addresses), `max_connections`, `event_loops`,
/// `max_body_bytes`, `log_level`, and the mail keys of MailSettings. An unknown key or a bad value is an error, so a typo is not
/// silently ignored.
struct ServeSettings {
    var trustedProxies: Set<String> = []
    var maxConnections: Int?
    var eventLoops: Int?
    var maxBodyBytes: Int?
    var logLevel: String?
    /// SMTP lines (`smtp_*`, `mail_*`, `public_url`; MailSettings.swift).
    var mail = MailSettings()

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static func load(path: String) throws(Invalid) -> ServeSettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Invalid(description: "cannot read config file \(path)")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    static func parse(_ text: String, source: String) throws(Invalid) -> ServeSettings {
        var settings = ServeSettings()
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?
                .trimmingCharacters(in: .whitespaces) ?? ""
            if line.isEmpty { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let location = "\(source):\(number + 1)"
            guard parts.count == 2 else { throw Invalid(description: "\(location): expected key = value") }
            func positive() throws(Invalid) -> Int {
                guard let value = Int(parts[1]), value > 0 else {
                    throw Invalid(description: "\(location): \(parts[0]) must be a positive integer")
                }
                return value
            }
            switch parts[0] {
            case "trusted_proxies":
                settings.trustedProxies = Set(parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            case "max_connections": settings.maxConnections = try positive()
            case "event_loops": settings.eventLoops = try positive()
            case "max_body_bytes": settings.maxBodyBytes = try positive()
            case "log_level": settings.logLevel = parts[1]
            case let key where MailSettings.keys.contains(key):
                do { try settings.mail.set(key, parts[1], location: location) } catch { throw Invalid(description: error.description) }
            default: throw Invalid(description: "\(location): unknown setting '\(parts[0])'")
            }
        }
        return settings
    }
}
