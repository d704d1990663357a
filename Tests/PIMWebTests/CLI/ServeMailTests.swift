import Foundation
import GRDB
import Glibc
import PIMAuth
import PIMCore
import Testing
@testable import PIMWeb

/// `pim serve` as a process with a real SMTP relay (tests/smtp_sink.py, aiosmtpd): an action on
/// a page reaches the relay within seconds, and without a relay mails wait.
struct ServeMailTests {
    /// What the test prepares in the database before `pim serve` opens it.
    struct Prepared {
        let database: String
        let roleID: Int64
        let sessionToken: String
        let csrfToken: String
    }

    /// A role the host user running the tests may activate without MFA, whose activation alert
    /// also goes to dl@example.org, and a signed-in session of that user (as sign-in makes it).
    static func prepare(in directory: String) async throws -> Prepared {
        let database = directory + "/pim.sqlite"
        let user = String(cString: getpwuid(getuid())!.pointee.pw_name)
        let clock = SystemClock()
        let store = try PIMStore.open(path: database, extraMigrations: AppEnvironment.extraMigrations, clock: clock)
        defer { try? store.pool.close() }
        let people = InMemoryDirectory(users: [
            DirectoryUser(name: "admin", displayName: "Administrator"), DirectoryUser(name: user, displayName: "Operator"),
        ])
        let service = PIMService(store: store, directory: people)
        _ = try await service.bootstrap(admin: "admin")
        let admin = ActorContext(username: "admin", sourceAddress: "127.0.0.1", mfaProvenAt: clock.now())
        var settings = RoleSettings.defaults
        settings.activation.requireMFA = false
        settings.notification.activation.admins.additionalRecipients = ["dl@example.org"]
        let role = try await service.createRole(name: "Web Operator", settings: settings, by: admin)
        _ = try await service.assign(roleID: role.id, members: [.user(user)], type: .eligible,
                                     justification: "Eligible for tests", by: admin)
        let sessions = SessionStore(writer: store.committer, clock: clock)
        let id = try sessions.create(username: user, remoteAddress: "127.0.0.1")
        let csrf = try sessions.load(token: id.token).session?.csrfToken ?? ""
        return Prepared(database: database, roleID: role.id, sessionToken: id.token, csrfToken: csrf)
    }

    /// Reads stdout until the "listening" line; returns the port and everything logged so far.
    static func waitForStart(_ run: ServeCommandTests.Run) throws -> (port: Int, log: String) {
        var text = ""
        while true {
            let data = run.output.fileHandleForReading.availableData
            if data.isEmpty { throw TestClient.Failure(description: "exited before listening: \(text)") }
            text += String(decoding: data, as: UTF8.self)
            if let match = text.firstMatch(of: /address=[0-9.]+:([0-9]+)/) { return (Int(match.1)!, text) }
        }
    }

    static func activate(port: Int, _ prepared: Prepared) throws -> TestClient.Response {
        let body = FormData.encode([
            ("role", "\(prepared.roleID)"), ("duration", "60"), ("justification", "Deploy release 4.2"),
            ("csrf", prepared.csrfToken),
        ])
        let client = try TestClient(port: port)
        try client.send("POST /my-roles/activate HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nOrigin: http://127.0.0.1:\(port)\r\n"
            + "Cookie: pim=\(prepared.sessionToken)\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        return try client.readResponse()
    }

    @Test func activationOnThePageReachesTheRelayWithinSecondsAndServeStopsCleanly() async throws {
        let directory = try ServeCommandTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let prepared = try await Self.prepare(in: directory)
        let sink = try SMTPSink()
        defer { sink.stop() }
        let (response, log, status, stderr, elapsed) = try await TestServer.clients.run {
            let run = try ServeCommandTests.Run([
                "serve", "--listen", "127.0.0.1:0", "--database", prepared.database,
                "--smtp-host", "127.0.0.1", "--smtp-port", "\(sink.port)", "--smtp-security", "none",
                "--mail-from", "pim@example.org", "--mail-from-name", "PIM Portal", "--public-url", "https://pim.example.org",
            ], directory: directory)
            let (port, log) = try Self.waitForStart(run)
            let started = ContinuousClock.now
            let response = try Self.activate(port: port, prepared)
            while ContinuousClock.now - started < .seconds(8),
                  (try? sink.messages().contains { $0.rcpt_tos.contains("dl@example.org") }) != true {
                usleep(20_000)
            }
            let elapsed = ContinuousClock.now - started
            kill(run.process.processIdentifier, SIGTERM)
            let (status, stderr) = run.finish()
            return (response, log, status, stderr, elapsed)
        }
        #expect(response.status == 303, "\(response.text)")
        #expect(log.contains("mail: delivering through SMTP"))
        #expect(!log.contains("SQLite was in use before PIM configured it"), "the server's SQLite runs in multi-thread mode")
        let alert = try sink.messages().first { $0.rcpt_tos.contains("dl@example.org") }
        #expect(alert != nil, "no mail to the distribution list within 8 s")
        #expect(elapsed < .seconds(8), "took \(elapsed) (loaded test machine; the worker wakes on the commit hook)")
        #expect(alert?.header("Subject")?.hasPrefix("PIM:") == true)
        #expect(alert?.header("From")?.contains("pim@example.org") == true)
        #expect(alert?.data.contains("https://pim.example.org/") == true)
        #expect(status == 0, "stderr: \(stderr)")
    }

    @Test func withoutARelayServeSaysMailsWaitAndTheyStayQueued() async throws {
        let directory = try ServeCommandTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let prepared = try await Self.prepare(in: directory)
        let (response, log, status) = try await TestServer.clients.run {
            let run = try ServeCommandTests.Run(
                ["serve", "--listen", "127.0.0.1:0", "--database", prepared.database], directory: directory)
            let (port, log) = try Self.waitForStart(run)
            let response = try Self.activate(port: port, prepared)
            kill(run.process.processIdentifier, SIGTERM)
            return (response, log, run.finish().status)
        }
        #expect(response.status == 303)
        #expect(log.contains("mails stay queued in the outbox"))
        #expect(status == 0)
        let store = try PIMStore.open(path: prepared.database, extraMigrations: AppEnvironment.extraMigrations, clock: SystemClock())
        defer { try? store.pool.close() }
        let queued = try await store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status = 'queued' AND recipient = 'dl@example.org'")
        }
        #expect(queued == 1)
    }

    /// The configuration as `pim serve --config` reads it, from a JSON file written here.
    private func settings(fromJSON json: String, environment: [String: String] = [:]) throws -> ServeSettings {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pim-mail-\(UUID().uuidString).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try PIMSettings.load(file: path, environment: environment).serve
    }

    @Test func mailSettingsComeFromTheFileAndFlagsWin() throws {
        let file = try settings(fromJSON: """
            {"smtp": {"host": "relay.example.org", "port": 587, "security": "starttls-optional"},
             "mail": {"from": "pim@example.org"}}
            """)
        var flags = MailSettings()
        flags.smtpPort = 2525
        let configuration = try #require(try file.mail.overridden(by: flags)
            .configuration(timeZone: "UTC", fallbackBaseURL: "http://127.0.0.1:8080"))
        #expect(configuration.smtp.host == "relay.example.org" && configuration.smtp.port == 2525)
        #expect(configuration.smtp.security == .startTLSOpportunistic)
        #expect(configuration.publicBaseURL == "http://127.0.0.1:8080")
        #expect(try MailSettings().configuration(timeZone: "UTC", fallbackBaseURL: "http://x") == nil)
        #expect(throws: SettingsReader.Invalid.self) { try settings(fromJSON: #"{"smtp": {"port": 99999}}"#) }
        #expect(throws: SettingsReader.Invalid.self) { try settings(fromJSON: #"{"smtp": {"hots": "relay"}}"#) }
        let fromEnvironment = try settings(fromJSON: "{}", environment: ["PIM_SMTP_HOST": "env-relay.example.org"])
        #expect(fromEnvironment.mail.smtpHost == "env-relay.example.org")
        #expect(throws: MailSettings.Invalid.self) {
            try MailSettings(smtpHost: "relay").configuration(timeZone: "UTC", fallbackBaseURL: "http://x")
        }
        #expect(throws: MailSettings.Invalid.self) {
            try MailSettings(smtpHost: "relay", smtpSecurity: "ssl", mailFrom: "pim@example.org")
                .configuration(timeZone: "UTC", fallbackBaseURL: "http://x")
        }
    }
}
