public import HTTPTypes
public import Logging

/// Collects routes and middleware at start-up; ``build(logger:)`` freezes them into a
/// ``Router``.
///
/// ```swift
/// var routes = RouterBuilder()
/// routes.use(SecurityHeaders())
/// routes.get("/healthz") { _ in .text("ok") }
/// routes.post("/roles/:id/activate", RoleActivate.handle)
/// let router = routes.build(logger: logger)
/// ```
public struct RouterBuilder {
    private var routes: [(method: HTTPRequest.Method, pattern: String, handler: Handler)] = []
    private var middleware: [any Middleware] = []

    public init() {}

    public mutating func add(_ method: HTTPRequest.Method, _ pattern: String, _ handler: @escaping Handler) {
        routes.append((method, pattern, handler))
    }

    public mutating func get(_ pattern: String, _ handler: @escaping Handler) { add(.get, pattern, handler) }
    public mutating func post(_ pattern: String, _ handler: @escaping Handler) { add(.post, pattern, handler) }

    /// Adds middleware; the first added runs outermost.
    public mutating func use(_ middleware: any Middleware) {
        self.middleware.append(middleware)
    }

    /// Builds the immutable router. A duplicate or malformed pattern stops the program here,
    /// at start-up, rather than misrouting later.
    public func build(logger: Logger) -> Router {
        let tree = RouteTree()
        for route in routes { tree.add(route.method, route.pattern, route.handler) }
        return Router(tree: tree, middleware: middleware, logger: logger)
    }
}

/// The immutable route table and middleware chain. Answers 404 for unknown paths, 405 with
/// `Allow` for known paths and other methods, serves HEAD from GET, and turns handler errors
/// into generic error pages whose request id is logged with the error.
public struct Router: HTTPResponder {
    let tree: RouteTree
    let chain: Handler
    let logger: Logger

    init(tree: RouteTree, middleware: [any Middleware], logger: Logger) {
        self.tree = tree
        self.logger = logger
        var chain: Handler = { request in try await Self.dispatch(request, tree: tree) }
        for layer in middleware.reversed() {
            let next = chain
            chain = { request in try await layer.handle(request, next: next) }
        }
        self.chain = chain
    }

    public func respond(to request: WebRequest) async -> WebResponse {
        do {
            return try await chain(request)
        } catch let error as any HTTPStatusError {
            return ErrorPage.response(error.status, requestID: request.id)
        } catch {
            logger.error("handler failed", metadata: [
                "request_id": "\(request.id)", "path": "\(request.path)", "error": "\(String(reflecting: type(of: error)))",
            ])
            return ErrorPage.response(.internalServerError, requestID: request.id)
        }
    }

    private static func dispatch(_ request: WebRequest, tree: RouteTree) async throws -> WebResponse {
        switch tree.match(method: request.method, path: request.path) {
        case .found(let handler, let parameters):
            var request = request
            request.parameters = parameters
            return try await handler(request)
        case .methodNotAllowed(let allowed):
            var response = ErrorPage.response(.methodNotAllowed, requestID: request.id)
            response.headerFields[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            return response
        case .notFound:
            return ErrorPage.response(.notFound, requestID: request.id)
        case .badPath:
            return ErrorPage.response(.badRequest, requestID: request.id)
        }
    }
}
