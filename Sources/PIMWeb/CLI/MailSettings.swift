import ArgumentParser
import Foundation
import PIMMail

/// How `pim serve` reaches its SMTP relay: `smtp_*`, `mail_*` and `public_url` lines of the
/// `--config` file, each overridden by the matching flag. No host: mails stay queued in the
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

    /// The config-file keys this type reads (ServeSettings hands them over).
    static let keys: Set<String> = [
        "smtp_host", "smtp_port", "smtp_security", "smtp_user", "smtp_password_file", "smtp_ca_file",
        "smtp_helo", "mail_from", "mail_from_name", "public_url",
    ]

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// One config-file line; `location` is "file:line" for the message.
    mutating func set(_ key: String, _ value: String, location: String) throws(Invalid) {
        switch key {
        case "smtp_host": smtpHost = value
        case "smtp_port":
            guard let port = Int(value), (1...65535).contains(port) else {
                throw Invalid(description: "\(location): smtp_port must be a port number (1-65535)")
            }
            smtpPort = port
        case "smtp_security": smtpSecurity = value
        case "smtp_user": smtpUser = value
        case "smtp_password_file": smtpPasswordFile = value
        case "smtp_ca_file": smtpCAFile = value
        case "smtp_helo": smtpHelo = value
        case "mail_from": mailFrom = value
        case "mail_from_name": mailFromName = value
        case "public_url": publicURL = value
        default: throw Invalid(description: "\(location): unknown setting '\(key)'")
        }
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
            throw Invalid(description: "an SMTP host needs a sender address (--mail-from or mail_from)")
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
    @Option(help: "SMTP relay host; without one, mails wait in the outbox (config: smtp_host).")
    var smtpHost: String?
    @Option(help: "SMTP relay port (default 25, or 465 with tls) (config: smtp_port).")
    var smtpPort: Int?
    @Option(help: "none, starttls, starttls-optional or tls (default starttls) (config: smtp_security).")
    var smtpSecurity: String?
    @Option(help: "SMTP AUTH user name (config: smtp_user).")
    var smtpUser: String?
    @Option(help: "File holding the SMTP AUTH password, read at each send (config: smtp_password_file).")
    var smtpPasswordFile: String?
    @Option(name: .customLong("smtp-ca-file"), help: "PEM file of CAs trusted for the relay (config: smtp_ca_file).")
    var smtpCAFile: String?
    @Option(help: "Name given in EHLO (default localhost) (config: smtp_helo).")
    var smtpHelo: String?
    @Option(help: "Sender address of the mails, required with an SMTP host (config: mail_from).")
    var mailFrom: String?
    @Option(help: "Sender display name (default PIM) (config: mail_from_name).")
    var mailFromName: String?
    @Option(name: .customLong("public-url"), help: "Portal URL links in mails start with (config: public_url).")
    var publicURL: String?

    var settings: MailSettings {
        MailSettings(smtpHost: smtpHost, smtpPort: smtpPort, smtpSecurity: smtpSecurity, smtpUser: smtpUser,
                     smtpPasswordFile: smtpPasswordFile, smtpCAFile: smtpCAFile, smtpHelo: smtpHelo,
                     mailFrom: mailFrom, mailFromName: mailFromName, publicURL: publicURL)
    }
}
