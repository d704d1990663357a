import HTTPTypes
import Logging
import Testing
@testable import PIMWeb

/// In-process: the frozen router's matching, errors and middleware.
struct RouterTests {
    struct Tag: Middleware {
        let name: String
        func handle(_ request: WebRequest, next: Handler) async throws -> WebResponse {
            var response = try await next(request)
            let previous = response.headerFields[HTTPField.Name("X-Order")!].map { $0 + "," } ?? ""
            response.headerFields[HTTPField.Name("X-Order")!] = previous + name
            return response
        }
    }

    struct Teapot: HTTPStatusError {
        var status: HTTPResponse.Status { .init(code: 418) }
    }

    struct Secret: Error {
        let detail = "database password is hunter2"
    }

    static func router(logs: LogRecorder = LogRecorder()) -> Router {
        var routes = RouterBuilder()
        routes.use(Tag(name: "outer"))
        routes.use(Tag(name: "inner"))
        routes.get("/roles") { _ in .text("list") }
        routes.get("/roles/new") { _ in .text("new") }
        routes.get("/roles/:id") { request in .text("role \(request.parameters["id"] ?? "?")") }
        routes.post("/roles/:id/activate") { request in .text("activate \(request.parameters["id"] ?? "?")") }
        routes.get("/files/*rest") { request in .text("rest \(request.parameters["rest"] ?? "?")") }
        routes.get("/teapot") { _ in throw Teapot() }
        routes.get("/fail") { _ in throw Secret() }
        return routes.build(logger: logs.logger())
    }

    static func request(_ method: HTTPRequest.Method, _ path: String) -> WebRequest {
        WebRequest(head: HTTPRequest(method: method, scheme: nil, authority: "a", path: path), id: "req-1")
    }

    static func body(_ response: WebResponse) -> String {
        guard case .bytes(let bytes) = response.body else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func literalRouteWinsOverParameter() async {
        let router = Self.router()
        #expect(Self.body(await router.respond(to: Self.request(.get, "/roles/new"))) == "new")
        #expect(Self.body(await router.respond(to: Self.request(.get, "/roles/17"))) == "role 17")
    }

    @Test func parameterIsPercentDecodedAndQueryIgnored() async {
        let response = await Self.router().respond(to: Self.request(.get, "/roles/a%20b%2Fc?x=1"))
        #expect(Self.body(response) == "role a b/c")
    }

    @Test func restParameterKeepsTheEncodedRemainder() async {
        let response = await Self.router().respond(to: Self.request(.get, "/files/a/b%20c"))
        #expect(Self.body(response) == "rest a/b%20c")
    }

    @Test func unknownPathAnswers404PageWithRequestID() async {
        let response = await Self.router().respond(to: Self.request(.get, "/nowhere"))
        #expect(response.status == .notFound)
        #expect(Self.body(response).contains("req-1"))
        #expect(!Self.body(response).contains("nowhere"))
    }

    @Test func otherMethodAnswers405WithAllow() async {
        let response = await Self.router().respond(to: Self.request(.post, "/roles"))
        #expect(response.status == .methodNotAllowed)
        #expect(response.headerFields[.allow] == "GET, HEAD")
        let post = await Self.router().respond(to: Self.request(.get, "/roles/3/activate"))
        #expect(post.headerFields[.allow] == "POST")
    }

    @Test func headIsServedByTheGetRoute() async {
        let response = await Self.router().respond(to: Self.request(.head, "/roles"))
        #expect(response.status == .ok && Self.body(response) == "list")
    }

    @Test func malformedPercentEncodingAnswers400() async {
        #expect(await Self.router().respond(to: Self.request(.get, "/roles/%zz")).status == .badRequest)
        #expect(await Self.router().respond(to: Self.request(.get, "/roles/%ff")).status == .badRequest)
    }

    @Test func middlewareRunsInOrderAroundEveryAnswerIncluding404() async {
        let found = await Self.router().respond(to: Self.request(.get, "/roles"))
        #expect(found.headerFields[HTTPField.Name("X-Order")!] == "inner,outer")
        let missing = await Self.router().respond(to: Self.request(.get, "/missing"))
        #expect(missing.headerFields[HTTPField.Name("X-Order")!] == "inner,outer")
    }

    @Test func statusErrorBecomesItsStatusPage() async {
        #expect(await Self.router().respond(to: Self.request(.get, "/teapot")).status.code == 418)
    }

    @Test func otherErrorBecomesGeneric500AndIsLoggedWithTheRequestID() async {
        let logs = LogRecorder()
        let response = await Self.router(logs: logs).respond(to: Self.request(.get, "/fail"))
        #expect(response.status == .internalServerError)
        #expect(!Self.body(response).contains("hunter2") && Self.body(response).contains("req-1"))
        let record = logs.all.first { $0.message == "handler failed" }
        #expect(record?.metadata["request_id"] == "req-1")
        #expect(!(record.map { "\($0.metadata)" } ?? "").contains("hunter2"))
    }

    @Test func middlewareCanAnswerWithoutCallingNext() async {
        struct Gate: Middleware {
            func handle(_ request: WebRequest, next: Handler) async throws -> WebResponse {
                request.path == "/roles" ? .text("gated", status: .forbidden) : try await next(request)
            }
        }
        var routes = RouterBuilder()
        routes.use(Gate())
        routes.get("/roles") { _ in .text("list") }
        let response = await routes.build(logger: LogRecorder().logger()).respond(to: Self.request(.get, "/roles"))
        #expect(response.status == .forbidden && Self.body(response) == "gated")
    }
}
