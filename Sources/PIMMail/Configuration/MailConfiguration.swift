/// Everything the mail side of PIM needs: where to send, who sends, where links point, and how
/// the delivery worker paces itself.
public struct MailConfiguration: Sendable, Equatable {
    public var smtp: SMTPConfiguration
    /// Envelope sender (MAIL FROM) and From address.
    public var sender: EmailAddress
    /// From display name, e.g. "PIM" (RFC 2047-encoded when not ASCII).
    public var senderName: String
    /// Public base URL of the portal (e.g. "https://pim.example.org"); links are base + path.
    public var publicBaseURL: String
    /// Time zone for windows shown in mails (SPEC: Settings → time zone). Default "UTC".
    public var timeZone: String
    public var retry: RetryPolicy
    public var worker: WorkerTuning

    public init(
        smtp: SMTPConfiguration,
        sender: EmailAddress,
        senderName: String = "PIM",
        publicBaseURL: String,
        timeZone: String = "UTC",
        retry: RetryPolicy = RetryPolicy(),
        worker: WorkerTuning = WorkerTuning()
    ) {
        self.smtp = smtp
        self.sender = sender
        self.senderName = senderName
        self.publicBaseURL = publicBaseURL
        self.timeZone = timeZone
        self.retry = retry
        self.worker = worker
    }
}

/// How the delivery worker claims and waits.
public struct WorkerTuning: Sendable, Equatable {
    /// Rows claimed per short transaction. Default 20.
    public var batchSize: Int
    /// How long a claim keeps other workers off the rows; it must outlast a batch's sending.
    /// A batch stops at the first relay failure, so its worst case is the normal sends plus one
    /// total timeout. Default 10 min. A sole worker drops stale leases at start anyway.
    public var lease: Duration
    /// Longest sleep between looks at the outbox when nothing wakes the worker. Default 15 s.
    public var pollInterval: Duration

    public init(batchSize: Int = 20, lease: Duration = .seconds(600), pollInterval: Duration = .seconds(15)) {
        self.batchSize = batchSize
        self.lease = lease
        self.pollInterval = pollInterval
    }
}
