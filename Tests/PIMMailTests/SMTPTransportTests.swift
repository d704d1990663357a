import Foundation
@testable import PIMMail
import Testing

/// libcurl against a real aiosmtpd on loopback, in every security mode.
@Suite(.serialized)
struct SMTPTransportTests {
    static func sample(to: String = "ada@example.org") throws -> (bytes: [UInt8], from: EmailAddress, to: EmailAddress) {
        let message = MailMessage(fromName: "PIM", from: try EmailAddress("pim@example.org"), toName: "Ada",
                                  to: try EmailAddress(to), subject: "PIM: test", date: Date(timeIntervalSince1970: 1_800_000_000),
                                  messageID: "<\(UUID().uuidString)@pim>", text: "line\n.\nlast", html: "<p>x</p>")
        return (try message.serialized(), message.from, message.to)
    }

    static func configuration(_ sink: SMTPSink, security: SMTPConfiguration.Security = .none, caFile: String? = nil,
                              username: String? = nil, passwordFile: String? = nil) -> SMTPConfiguration {
        SMTPConfiguration(host: "127.0.0.1", port: sink.port, security: security, username: username, passwordFile: passwordFile,
                          heloName: "pim.test.example", connectTimeout: .seconds(5), totalTimeout: .seconds(10), caFile: caFile)
    }

    @Test func plainSMTPDeliversTheExactMessageWithEnvelopeAndHELO() async throws {
        let sink = try SMTPSink()
        let transport = CurlSMTPTransport(configuration: Self.configuration(sink))
        defer { transport.shutdown() }
        let sample = try Self.sample()
        try await transport.send(sample.bytes, from: sample.from, to: sample.to)
        let received = try await sink.waitForMessages(1)
        #expect(received.count == 1)
        #expect(received.first?.mail_from == "pim@example.org")
        #expect(received.first?.rcpt_tos == ["ada@example.org"])
        #expect(received.first?.helo == "pim.test.example")
        #expect(received.first?.tls == false)
        // A lone "." line survives libcurl's dot-stuffing and the server's un-stuffing.
        #expect(received.first?.data == String(decoding: sample.bytes, as: UTF8.self))
    }

    @Test func consecutiveMessagesReuseTheThreadAndAllArrive() async throws {
        let sink = try SMTPSink()
        let transport = CurlSMTPTransport(configuration: Self.configuration(sink))
        defer { transport.shutdown() }
        for index in 0..<5 {
            let sample = try Self.sample(to: "user\(index)@example.org")
            try await transport.send(sample.bytes, from: sample.from, to: sample.to)
        }
        #expect(try await sink.waitForMessages(5).map { $0.rcpt_tos[0] }.sorted() == (0..<5).map { "user\($0)@example.org" })
    }

    @Test func startTLSWithASelfSignedCertificateAndConfiguredCAFile() async throws {
        let certificate = try TestCertificate()
        let sink = try SMTPSink(arguments: ["--starttls", certificate.certificate, certificate.key])
        let transport = CurlSMTPTransport(configuration: Self.configuration(sink, security: .startTLS, caFile: certificate.certificate))
        defer { transport.shutdown() }
        let sample = try Self.sample()
        try await transport.send(sample.bytes, from: sample.from, to: sample.to)
        #expect(try await sink.waitForMessages(1).first?.tls == true)
    }

    @Test func startTLSRefusesAnUntrustedCertificate() async throws {
        let certificate = try TestCertificate()
        let sink = try SMTPSink(arguments: ["--starttls", certificate.certificate, certificate.key])
        let otherCA = try TestCertificate()
        let transport = CurlSMTPTransport(configuration: Self.configuration(sink, security: .startTLS, caFile: otherCA.certificate))
        defer { transport.shutdown() }
        let sample = try Self.sample()
        await #expect(throws: MailError.self) { try await transport.send(sample.bytes, from: sample.from, to: sample.to) }
        #expect(try sink.messages().isEmpty)
    }

    @Test func requiredStartTLSFailsAgainstAPlainServerWithCurlsCode() async throws {
        let sink = try SMTPSink()
        let transport = CurlSMTPTransport(configuration: Self.configuration(sink, security: .startTLS))
        defer { transport.shutdown() }
        let sample = try Self.sample()
        do {
            try await transport.send(sample.bytes, from: sample.from, to: sample.to)
            Issue.record("sent without TLS")
        } catch {
            guard case .transport(let failure) = error else { Issue.record("wrong error \(error)"); return }
            #expect(failure.curlCode == 64) // CURLE_USE_SSL_FAILED
            #expect(!error.isPermanent)
        }
        #expect(try sink.messages().isEmpty)
    }

    @Test func opportunisticStartTLSFallsBackToPlainAndUsesTLSWhenOffered() async throws {
        let plain = try SMTPSink()
        let plainTransport = CurlSMTPTransport(configuration: Self.configuration(plain, security: .startTLSOpportunistic))
        defer { plainTransport.shutdown() }
        let sample = try Self.sample()
        try await plainTransport.send(sample.bytes, from: sample.from, to: sample.to)
        #expect(try await plain.waitForMessages(1).first?.tls == false)

        let certificate = try TestCertificate()
        let tls = try SMTPSink(arguments: ["--starttls", certificate.certificate, certificate.key])
        let tlsTransport = CurlSMTPTransport(configuration: Self.configuration(tls, security: .startTLSOpportunistic, caFile: certificate.certificate))
        defer { tlsTransport.shutdown() }
        try await tlsTransport.send(sample.bytes, from: sample.from, to: sample.to)
        #expect(try await tls.waitForMessages(1).first?.tls == true)
    }

    @Test func implicitTLS() async throws {
        let certificate = try TestCertificate()
        let sink = try SMTPSink(arguments: ["--tls", certificate.certificate, certificate.key])
        let transport = CurlSMTPTransport(configuration: Self.configuration(sink, security: .implicitTLS, caFile: certificate.certificate))
        defer { transport.shutdown() }
        let sample = try Self.sample()
        try await transport.send(sample.bytes, from: sample.from, to: sample.to)
        #expect(try await sink.waitForMessages(1).first?.tls == true)
    }

    @Test func authWithThePasswordReadFromAFileAndRefusedWithAWrongOne() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pim-auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let serverPassword = directory.appendingPathComponent("server").path
        try "s3cret pässword\n".write(toFile: serverPassword, atomically: true, encoding: .utf8)
        let wrongPassword = directory.appendingPathComponent("wrong").path
        try "guess\n".write(toFile: wrongPassword, atomically: true, encoding: .utf8)
        let certificate = try TestCertificate()
        let sink = try SMTPSink(arguments: ["--starttls", certificate.certificate, certificate.key, "--auth", "pim", serverPassword])
        let sample = try Self.sample()

        let wrong = CurlSMTPTransport(configuration: Self.configuration(sink, security: .startTLS, caFile: certificate.certificate,
                                                                         username: "pim", passwordFile: wrongPassword))
        defer { wrong.shutdown() }
        do {
            try await wrong.send(sample.bytes, from: sample.from, to: sample.to)
            Issue.record("wrong password accepted")
        } catch {
            #expect(!error.description.contains("guess"))
            guard case .transport(let failure) = error else { Issue.record("wrong error \(error)"); return }
            #expect(failure.curlCode == 67) // CURLE_LOGIN_DENIED
        }

        let right = CurlSMTPTransport(configuration: Self.configuration(sink, security: .startTLS, caFile: certificate.certificate,
                                                                         username: "pim", passwordFile: serverPassword))
        defer { right.shutdown() }
        try await right.send(sample.bytes, from: sample.from, to: sample.to)
        #expect(try await sink.waitForMessages(1).first?.authenticated == true)
    }

    @Test func missingPasswordFileIsATypedErrorWithoutContent() async throws {
        let sink = try SMTPSink()
        let transport = CurlSMTPTransport(configuration: Self.configuration(sink, username: "pim", passwordFile: "/nonexistent/pw"))
        defer { transport.shutdown() }
        let sample = try Self.sample()
        await #expect(throws: MailError.passwordFileUnreadable(path: "/nonexistent/pw")) {
            try await transport.send(sample.bytes, from: sample.from, to: sample.to)
        }
    }

    @Test func aClosedPortIsCouldntConnect() async throws {
        let sink = try SMTPSink()
        let port = sink.port
        sink.stop()
        var configuration = Self.configuration(sink)
        configuration.port = port
        let transport = CurlSMTPTransport(configuration: configuration)
        defer { transport.shutdown() }
        let sample = try Self.sample()
        do {
            try await transport.send(sample.bytes, from: sample.from, to: sample.to)
            Issue.record("sent to a closed port")
        } catch {
            guard case .transport(let failure) = error else { Issue.record("wrong error \(error)"); return }
            #expect(failure.curlCode == 7) // CURLE_COULDNT_CONNECT
            #expect(error.description.contains("curl 7"))
        }
    }

    @Test(arguments: ["bad host", "host\r\nx", ""])
    func hostileHostNamesAreConfigurationErrors(_ host: String) {
        let configuration = SMTPConfiguration(host: host)
        #expect(throws: MailError.self) { try configuration.url() }
    }

    @Test func heloNameGoesIntoTheURLPath() throws {
        #expect(try SMTPConfiguration(host: "mail.example.org", security: .implicitTLS, heloName: "pim.example.org").url()
            == "smtps://mail.example.org:465/pim.example.org")
        #expect(try SMTPConfiguration(host: "::1", port: 2525, security: .none).url() == "smtp://[::1]:2525/localhost")
        #expect(throws: MailError.self) { try SMTPConfiguration(host: "mail", heloName: "a/b?c").url() }
    }
}
