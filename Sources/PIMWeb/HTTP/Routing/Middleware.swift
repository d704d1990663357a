/// What a route runs: an async function from request to response. Throwing an
/// ``HTTPStatusError`` answers that status; any other error answers a generic 500.
public typealias Handler = @Sendable (WebRequest) async throws -> WebResponse

/// Code around every request (logging, security headers, sessions, CSRF): one method that
/// may answer itself or call `next`. The first middleware added is the outermost.
public protocol Middleware: Sendable {
    func handle(_ request: WebRequest, next: Handler) async throws -> WebResponse
}
