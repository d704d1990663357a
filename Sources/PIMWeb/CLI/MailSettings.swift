import ArgumentParser
import Foundation
import PIMMail

/// How `pim serve` reaches its SMTP relay: the `smtp.*` and `mail.*` settings of the
/// configuration, each overridden by the matching flag. No host: mails stay queued in the
/// outbox (nothing is lost; they go out once a relay is configured and PIM restarts).
struct MailSettings: Equatable {
    var smtpHost: String?
    var smtpPort: Int?
    var smtpSecurity: String?
    var smtpUser: String?
    var smtpPasswordFile: String?
    var smtpCAFile: String?
    var smtpHelo: String?
    var mailFrom: String?
    var mailFromName: String?
    var publicURL: String?

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(smtpHost: String? = nil, smtpPort: Int? = nil, smtpSecurity: String? = nil, smtpUser: String? = nil,
         smtpPasswordFile: String? = nil, smtpCAFile: String? = nil, smtpHelo: String? = nil,
         mailFrom: String? = nil, mailFromName: String? = nil, publicURL: String? = nil) {
        self.smtpHost = smtpHost
        self.smtpPort = smtpPort
        self.smtpSecurity = smtpSecurity
        self.smtpUser = smtpUser
        self.smtpPasswordFile = smtpPasswordFile
        self.smtpCAFile = smtpCAFile
        self.smtpHelo = smtpHelo
        self.mailFrom = mailFrom
        self.mailFromName = mailFromName
        self.publicURL = publicURL
    }

    /// The `smtp.*` and `mail.*` keys of the configuration (file or `PIM_SMTP_…` environment).
    init(reading settings: SettingsReader) throws(SettingsReader.Invalid) {
        smtpHost = try settings.string("smtp.host")
        smtpPort = try settings.positiveInt("smtp.port")
        if let port = smtpPort, port > 65535 {
            throw SettingsReader.Invalid(description: "setting smtp.port must be a port number (1-65535)")
        }
        smtpSecurity = try settings.string("smtp.security")
        smtpUser = try settings.string("smtp.user")
        smtpPasswordFile = try settings.string("smtp.passwordFile")
        smtpCAFile = try settings.string("smtp.caFile")
        smtpHelo = try settings.string("smtp.helo")
        mailFrom = try settings.string("mail.from")
        mailFromName = try settings.string("mail.fromName")
        publicURL = try settings.string("mail.publicURL")
    }

    /// These settings with every value `flags` gives replacing the file's.
    func overridden(by flags: MailSettings) -> MailSettings {
        MailSettings(
            smtpHost: flags.smtpHost ?? smtpHost, smtpPort: flags.smtpPort ?? smtpPort,
            smtpSecurity: flags.smtpSecurity ?? smtpSecurity, smtpUser: flags.smtpUser ?? smtpUser,
            smtpPasswordFile: flags.smtpPasswordFile ?? smtpPasswordFile, smtpCAFile: flags.smtpCAFile ?? smtpCAFile,
            smtpHelo: flags.smtpHelo ?? smtpHelo, mailFrom: flags.mailFrom ?? mailFrom,
            mailFromName: flags.mailFromName ?? mailFromName, publicURL: flags.publicURL ?? publicURL)
    }

    /// `none`, `starttls` (required), `starttls-optional` (also `starttls-opportunistic`), `tls`.
    static func security(_ name: String) throws(Invalid) -> SMTPConfiguration.Security {
        if name == "starttls-optional" { return .startTLSOpportunistic }
        guard let security = SMTPConfiguration.Security(rawValue: name) else {
            throw Invalid(description: "unknown SMTP security '\(name)' (none, starttls, starttls-optional or tls)")
        }
        return security
    }

    /// The worker's configuration, or nil when no SMTP host is set. Links default to the public
    /// origin, else to `http://LISTEN`. The sender address is required with a host: a made-up
    /// one would be refused or spam-filtered by real relays.
    func configuration(timeZone: String, fallbackBaseURL: String) throws(Invalid) -> MailConfiguration? {
        guard let host = smtpHost?.trimmingCharacters(in: .whitespaces), !host.isEmpty else { return nil }
        if let file = smtpPasswordFile, !FileManager.default.isReadableFile(atPath: file) {
            throw Invalid(description: "cannot read the SMTP password file \(file)")
        }
        if let file = smtpCAFile, !FileManager.default.isReadableFile(atPath: file) {
            throw Invalid(description: "cannot read the SMTP CA file \(file)")
        }
        guard let from = mailFrom else {
            throw Invalid(description: "an SMTP host needs a sender address (--mail-from or mail.from)")
        }
        let sender: EmailAddress
        do { sender = try EmailAddress(from) } catch {
            throw Invalid(description: "the sender address '\(from)' is not a plain address like pim@example.org")
        }
        return MailConfiguration(
            smtp: SMTPConfiguration(
                host: host, port: smtpPort, security: try Self.security(smtpSecurity ?? "starttls"),
                username: smtpUser, passwordFile: smtpPasswordFile, heloName: smtpHelo ?? "localhost",
                caFile: smtpCAFile),
            sender: sender, senderName: mailFromName ?? "PIM", publicBaseURL: publicURL ?? fallbackBaseURL,
            timeZone: timeZone)
    }
}

/// The mail flags of `pim serve`; each overrides the config file's line of the same name.
struct MailFlags: ParsableArguments {
    @Option(help: "SMTP relay host; without one, mails wait in the outbox (config: smtp.host).")
    var smtpHost: String?
    @Option(help: "SMTP relay port (default 25, or 465 with tls) (config: smtp.port).")
    var smtpPort: Int?
    @Option(help: "none, starttls, starttls-optional or tls (default starttls) (config: smtp.security).")
    var smtpSecurity: String?
    @Option(help: "SMTP AUTH user name (config: smtp.user).")
    var smtpUser: String?
    @Option(help: "File holding the SMTP AUTH password, read at each send (config: smtp.passwordFile).")
    var smtpPasswordFile: String?
    @Option(name: .customLong("smtp-ca-file"), help: "PEM file of CAs trusted for the relay (config: smtp.caFile).")
    var smtpCAFile: String?
    @Option(help: "Name given in EHLO (default localhost) (config: smtp.helo).")
    var smtpHelo: String?
    @Option(help: "Sender address of the mails, required with an SMTP host (config: mail.from).")
    var mailFrom: String?
    @Option(help: "Sender display name (default PIM) (config: mail.fromName).")
    var mailFromName: String?
    @Option(name: .customLong("public-url"), help: "Portal URL links in mails start with (config: mail.publicURL).")
    var publicURL: String?

    var settings: MailSettings {
        MailSettings(smtpHost: smtpHost, smtpPort: smtpPort, smtpSecurity: smtpSecurity, smtpUser: smtpUser,
                     smtpPasswordFile: smtpPasswordFile, smtpCAFile: smtpCAFile, smtpHelo: smtpHelo,
                     mailFrom: mailFrom, mailFromName: mailFromName, publicURL: publicURL)
    }
}
