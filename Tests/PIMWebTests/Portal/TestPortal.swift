import Foundation
import GRDB
import HTTPTypes
import PIMAuth
import PIMCore
import PIMTemplates
@testable import PIMWeb

/// A whole portal in-process for page tests: a temporary SQLite file with every migration, the
/// real templates (strict mode), a test clock, an in-memory directory, and the real pipeline.
/// Users: `admin` (PIM Administrator), `reader` (Security Reader), `alice` and `bob` (plain).
final class TestPortal: Sendable {
    let directoryURL: URL
    let clock: TestClock
    let environment: AppEnvironment
    let app: PortalApp
    /// The http Router with the portal mounted, built once like `pim serve` does.
    let router: Router
    let directory: InMemoryDirectory

    /// Loaded once per process: compiling the templates is start-up work.
    static let templates: TemplateLibrary = {
        do { return try AppEnvironment.loadTemplates(strict: true) } catch { fatalError("templates: \(error)") }
    }()

    enum Kind: String, CaseIterable, Sendable {
        case admin, reader, plain
        var username: String {
            switch self {
            case .admin: "admin"
            case .reader: "reader"
            case .plain: "alice"
            }
        }
    }

    init(configuration: PortalConfiguration = PortalConfiguration(), users extraUsers: [DirectoryUser] = []) throws {
        directoryURL = FileManager.default.temporaryDirectory.appendingPathComponent("pim-portal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directoryURL, withIntermediateDirectories: true)
        clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        directory = InMemoryDirectory(
            users: [
                DirectoryUser(name: "admin", displayName: "Ada Admin", email: "admin@example.org"),
                DirectoryUser(name: "reader", displayName: "Rita Reader", email: "reader@example.org"),
                DirectoryUser(name: "alice", displayName: "Alice Andersen", email: "alice@example.org"),
                DirectoryUser(name: "bob", displayName: "Bob Baker", email: "bob@example.org"),
            ] + extraUsers,
            groups: [DirectoryGroup(name: "secops", members: ["bob"]), DirectoryGroup(name: "dba", members: ["alice"])])
        let store = try PIMStore.open(
            path: directoryURL.appendingPathComponent("pim.sqlite").path,
            extraMigrations: AppEnvironment.extraMigrations, clock: clock)
        environment = AppEnvironment(
            configuration: configuration, store: store, clock: clock, templates: Self.templates,
            directory: directory, keys: AuthKeys.forTesting(), authenticator: PAMAuthenticator(),
            minimumSignInFailure: .zero)
        app = PortalApp(environment: environment)
        router = app.router()
    }

    /// A portal whose `admin` was bootstrapped and who made `reader` a Security Reader, through
    /// PIMCore's own use cases.
    static func make(configuration: PortalConfiguration = PortalConfiguration(),
                     users: [DirectoryUser] = []) async throws -> TestPortal {
        let portal = try TestPortal(configuration: configuration, users: users)
        _ = try await portal.service.bootstrap(admin: "admin")
        let reader = try await portal.roleID(builtIn: .securityReader)
        _ = try await portal.service.assign(
            roleID: reader, members: [.user("reader")], type: .active, end: portal.clock.now() + 90 * 86400,
            justification: "Reads the audit", by: portal.adminActor)
        return portal
    }

    var service: PIMService { environment.service }
    var adminActor: ActorContext { ActorContext(username: "admin", sourceAddress: "127.0.0.1", mfaProvenAt: clock.now()) }

    func roleID(builtIn: BuiltInRole) async throws -> Int64 {
        try await environment.store.pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM role WHERE builtin = ?", arguments: [builtIn.rawValue])!
        }
    }

    /// A custom role with `configure` applied to the default settings, and `members` eligible.
    @discardableResult
    func makeRole(_ name: String, eligible members: [PrincipalRef] = [], configure: (inout RoleSettings) -> Void = { _ in })
        async throws -> Int64 {
        var settings = RoleSettings.defaults
        configure(&settings)
        let role = try await service.createRole(name: name, description: "About \(name)", settings: settings, by: adminActor)
        if !members.isEmpty {
            _ = try await service.assign(roleID: role.id, members: members, type: .eligible,
                                         justification: "Eligible for tests", by: adminActor)
        }
        return role.id
    }

    deinit { try? FileManager.default.removeItem(at: directoryURL) }

    /// A signed-in browser for `username` (session row and profile, as sign-in makes them).
    func signIn(_ username: String) throws -> Browser {
        let entry = directory.user(named: username)
        let now = clock.now()
        let id = try environment.store.pool.write { db in
            try UserProfiles.upsertOnSignIn(username: username, displayName: entry?.displayName ?? username,
                                            email: entry?.email, mfaEnrolled: false, at: now, in: db)
            return try environment.sessions.create(username: username, remoteAddress: "127.0.0.1", in: db)
        }
        return Browser(portal: self, cookies: ["pim": id.token])
    }

    func signIn(_ kind: Kind) throws -> Browser { try signIn(kind.username) }

    /// A browser with no session.
    var anonymous: Browser { Browser(portal: self, cookies: [:]) }
}

/// A cookie jar in front of the portal, like a person's browser.
struct Browser: Sendable {
    let portal: TestPortal
    var cookies: [String: String]

    var sessionToken: String? { cookies["pim"] }

    /// The session's CSRF token (what every form of the session carries).
    func csrfToken() throws -> String {
        guard let token = sessionToken, let session = try portal.environment.sessions.load(token: token).session else { return "" }
        return session.csrfToken
    }

    mutating func get(_ path: String, headers: [(String, String)] = []) async -> PortalResponse {
        await send(.get, path, body: [], headers: headers)
    }

    /// POSTs a form; the session's CSRF token is added unless `csrf` says otherwise.
    mutating func post(_ path: String, _ fields: [(String, String)] = [], csrf: String?? = .none,
                       headers: [(String, String)] = []) async throws -> PortalResponse {
        var all = fields
        switch csrf {
        case .none: all.append(("csrf", try csrfToken()))
        case .some(.some(let token)): all.append(("csrf", token))
        case .some(.none): break
        }
        return await send(.post, path, body: Array(FormData.encode(all).utf8),
                          headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers)
    }

    mutating func send(_ method: HTTPRequest.Method, _ path: String, body: [UInt8], headers: [(String, String)]) async -> PortalResponse {
        var fields = HTTPFields()
        for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        if !cookies.isEmpty {
            fields[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
        }
        let head = HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1:8080", path: path, headerFields: fields)
        let response = await portal.app.respond(to: PortalRequest(head: head, body: body, remoteAddress: "127.0.0.1"), router: portal.router)
        for line in response.headerFields[values: .setCookie] {
            let pair = line.split(separator: ";")[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]), value = String(pair[pair.index(after: equals)...])
            if line.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return response
    }
}

extension PortalResponse {
    var location: String? { headerFields[.location] }
    func header(_ name: String) -> String? { headerFields[HTTPField.Name(name)!] }
    /// Every `Set-Cookie` line, in order.
    var setCookies: [String] { headerFields[values: .setCookie] }
}
