/// How PIM reaches its SMTP relay. Passed in at start-up; nothing here is read from globals.
public struct SMTPConfiguration: Sendable, Equatable {
    /// Transport security (RFC 3207 STARTTLS, RFC 8314 implicit TLS).
    public enum Security: String, Sendable, Equatable, CaseIterable {
        /// Plain SMTP (`smtp://`, CURLUSESSL_NONE): only for a relay on the same host or LAN.
        case none
        /// STARTTLS required (CURLUSESSL_ALL): the connection fails if the server cannot upgrade.
        case startTLS = "starttls"
        /// STARTTLS when offered (CURLUSESSL_TRY), otherwise plain.
        case startTLSOpportunistic = "starttls-opportunistic"
        /// TLS from the first byte (`smtps://`, usually port 465).
        case implicitTLS = "tls"
    }

    /// Relay host name or IP address (IPv6 without brackets).
    public var host: String
    /// Port; nil picks 25 for plain/STARTTLS and 465 for implicit TLS.
    public var port: Int?
    public var security: Security
    /// User name for SMTP AUTH (RFC 4954); nil sends no AUTH.
    public var username: String?
    /// File holding the AUTH password (first line; trailing newline ignored). Read at each send
    /// so a rotated password needs no restart; never logged.
    public var passwordFile: String?
    /// The name given in EHLO/HELO. libcurl takes it from the URL path (smtp://host/NAME).
    public var heloName: String
    /// CURLOPT_CONNECTTIMEOUT_MS. Default 10 s.
    public var connectTimeout: Duration
    /// CURLOPT_TIMEOUT_MS for the whole exchange of one message. Default 60 s.
    public var totalTimeout: Duration
    /// PEM bundle of trusted CAs (CURLOPT_CAINFO); nil uses the system store. Peers are always
    /// verified when TLS is used.
    public var caFile: String?

    public init(
        host: String,
        port: Int? = nil,
        security: Security = .startTLS,
        username: String? = nil,
        passwordFile: String? = nil,
        heloName: String = "localhost",
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(60),
        caFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.passwordFile = passwordFile
        self.heloName = heloName
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.caFile = caFile
    }

    var effectivePort: Int { port ?? (security == .implicitTLS ? 465 : 25) }

    /// `smtp[s]://host:port/helo-name` (libcurl SMTP URL: the path is the EHLO domain).
    func url() throws(MailError) -> String {
        guard !host.isEmpty, host.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || "0123456789.-:".unicodeScalars.contains($0)) })
        else { throw .invalidConfiguration("SMTP host must be a host name or IP address") }
        guard (1...65535).contains(effectivePort) else { throw .invalidConfiguration("SMTP port out of range") }
        guard !heloName.isEmpty, heloName.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || "0123456789.-[]:".unicodeScalars.contains($0)) })
        else { throw .invalidConfiguration("HELO name must be a host name or address literal") }
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart):\(effectivePort)/\(heloName)"
    }
}
