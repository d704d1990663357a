import Foundation

/// Settings of `pim serve`, read through `SettingsReader` (JSON file of `--config`, `PIM_…`
/// environment variables, flags; see there for the precedence). Adding a setting is a field here
/// plus its one reading line in `init(reading:)`.
struct ServeSettings {
    var trustedProxies: Set<String> = []
    var maxConnections: Int?
    var eventLoops: Int?
    var maxBodyBytes: Int?
    var logLevel: String?
    /// How to reach the SMTP relay (`smtp.*`, `mail.*`; MailSettings.swift).
    var mail = MailSettings()

    init() {}

    init(reading settings: SettingsReader) throws(SettingsReader.Invalid) {
        trustedProxies = Set(try settings.stringList("http.trustedProxies") ?? [])
        maxConnections = try settings.positiveInt("http.maxConnections")
        eventLoops = try settings.positiveInt("http.eventLoops")
        maxBodyBytes = try settings.positiveInt("http.maxBodyBytes")
        logLevel = try settings.string("log.level")
        mail = try MailSettings(reading: settings)
    }
}

/// Everything the configuration holds: the database path every command needs, and the serve
/// settings (read by every command too, so that a bad or unknown key fails every command alike).
struct PIMSettings {
    static let defaultDatabase = "./data/pim.sqlite"

    var database: String
    var serve: ServeSettings

    /// `flags` maps keys to the values of the command-line options that override them
    /// (`["database": "/x.sqlite"]`); options left unset are simply absent.
    static func load(file: String?, flags: [String: String?] = [:],
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws(SettingsReader.Invalid) -> PIMSettings {
        let settings = try SettingsReader(file: file, flags: flags.compactMapValues { $0 }, environment: environment)
        let loaded = PIMSettings(database: try settings.string("database") ?? defaultDatabase,
                                 serve: try ServeSettings(reading: settings))
        try settings.rejectUnreadFileKeys()
        return loaded
    }
}
