import CCurl
import Foundation

/// SMTP submission through libcurl (https://curl.se/libcurl/c/libcurl-smtp.html) on one
/// dedicated thread. Messages are sent one at a time; the easy handle is kept between them so
/// libcurl can reuse the open connection.
public final class CurlSMTPTransport: MailTransport {
    public let configuration: SMTPConfiguration
    private let thread = BlockingThread<CurlEasy>(name: "pim-smtp")

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    /// Stops the SMTP thread after the message in flight, closing its connection.
    public func shutdown() {
        thread.shutdown()
    }

    deinit {
        thread.shutdown()
    }

    public func send(_ message: [UInt8], from sender: EmailAddress, to recipient: EmailAddress) async throws(MailError) {
        let configuration = configuration
        let url = try configuration.url()
        try await thread.run(make: { () throws(MailError) in try CurlEasy() }) { easy throws(MailError) in
            // The password file is read here, off the cooperative pool, at every send.
            let password = try configuration.passwordFile.map { path throws(MailError) in try Self.readPassword(path) }
            try Self.perform(easy, url: url, configuration: configuration, password: password,
                             message: message, sender: sender, recipient: recipient)
        }
    }

    private static func perform(
        _ easy: CurlEasy, url: String, configuration: SMTPConfiguration, password: String?,
        message: [UInt8], sender: EmailAddress, recipient: EmailAddress
    ) throws(MailError) {
        try easy.reset()
        try easy.set(CURLOPT_URL, url)
        try easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        // curl_easy_setopt(3) CURLOPT_NOSIGNAL: required when libcurl runs on threads.
        try easy.set(CURLOPT_NOSIGNAL, 1)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(configuration.connectTimeout.milliseconds, 1))
        try easy.set(CURLOPT_TIMEOUT_MS, max(configuration.totalTimeout.milliseconds, 1))
        switch configuration.security {
        case .none: try easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
        case .startTLS, .implicitTLS: try easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        case .startTLSOpportunistic: try easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
        }
        try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = configuration.caFile { try easy.set(CURLOPT_CAINFO, caFile) }
        if let username = configuration.username {
            try easy.set(CURLOPT_USERNAME, username)
            try easy.set(CURLOPT_PASSWORD, password ?? "")
        }
        // RFC 5321 §4.1.2 reverse-path and forward-path in angle brackets.
        try easy.set(CURLOPT_MAIL_FROM, "<\(sender.value)>")
        let recipients = pim_curl_slist_append(nil, "<\(recipient.value)>")
        defer { pim_curl_slist_free_all(recipients) }
        try easy.set(CURLOPT_MAIL_RCPT, list: recipients)

        // CURLOPT_UPLOAD + CURLOPT_READFUNCTION supply the message; libcurl dot-stuffs it and
        // adds the terminating CRLF.CRLF (RFC 5321 §4.5.2).
        let source = UploadSource(message)
        let retained = Unmanaged.passRetained(source)
        defer { retained.release() }
        try easy.set(CURLOPT_UPLOAD, 1)
        try easy.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(message.count))
        try easy.setReadFunction(UploadSource.callback)
        try easy.set(CURLOPT_READDATA, pointer: retained.toOpaque())
        defer { try? easy.set(CURLOPT_READDATA, pointer: nil) }
        try easy.perform()
    }

    /// The first line of the password file, without its line end.
    static func readPassword(_ path: String) throws(MailError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw .passwordFileUnreadable(path: path) }
        let text = String(decoding: data, as: UTF8.self)
        return String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
    }
}

/// The bytes of one message, read by libcurl through CURLOPT_READFUNCTION.
private final class UploadSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// curl_read_callback: fill up to size × nitems bytes, return the count, 0 at the end.
    static let callback: curl_read_callback = { buffer, size, nitems, userdata in
        guard let buffer, let userdata else { return Int(CURL_READFUNC_ABORT) }
        let source = Unmanaged<UploadSource>.fromOpaque(userdata).takeUnretainedValue()
        return source.read(into: buffer, capacity: size * nitems)
    }

    private func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
