/// Every limit and timeout of the HTTP server, in one place.
///
/// Limits are checked as bytes arrive, so a client cannot make the server buffer more than
/// these bounds before it answers with the matching error status and closes the connection.
/// The defaults suit an intranet portal behind a TLS-terminating proxy.
public struct HTTPConfiguration: Sendable {
    /// Longest request target (path and query, or absolute URI) in bytes. Default 8 KiB;
    /// longer answers 414 URI Too Long.
    public var maxRequestTargetLength: Int = 8 * 1024
    /// Longest method token in bytes. Default 32; longer answers 501 Not Implemented.
    public var maxMethodLength: Int = 32
    /// Total bytes of the header section: every field line counted with its CRLF, without the
    /// request line and without the empty line that ends the section. Default 32 KiB; more
    /// answers 431 Request Header Fields Too Large. Trailer sections have the same bound.
    public var maxHeaderBytes: Int = 32 * 1024
    /// Most header fields in one request. Default 100; more answers 431.
    public var maxHeaderFields: Int = 100
    /// Largest request body in bytes. Default 1 MiB. A larger Content-Length answers 413 before
    /// any of the body is read; a chunked body answers 413 as soon as its data passes the bound.
    public var maxBodyBytes: Int = 1024 * 1024
    /// Longest chunk-size line (size, extensions, CRLF) of a chunked body. Default 1 KiB; longer
    /// answers 400.
    public var maxChunkLineLength: Int = 1024
    /// Most fields in a query string or `application/x-www-form-urlencoded` body. Default 256;
    /// more makes the parse fail (400).
    public var maxFormFields: Int = 256
    /// Longest single form or query field (name=value, still encoded) in bytes. Default 64 KiB.
    public var maxFormFieldBytes: Int = 64 * 1024

    /// Time allowed for the whole header section once its first byte arrived. Default 10 s; then
    /// 408 and close.
    public var headerTimeout: Duration = .seconds(10)
    /// Longest pause between two pieces of a request body. Default 30 s; then 408 and close.
    public var bodyProgressTimeout: Duration = .seconds(30)
    /// How long a keep-alive connection may sit idle between requests. Default 60 s; then close.
    public var idleTimeout: Duration = .seconds(60)
    /// Longest pause while the client does not accept response bytes. Default 30 s; then close.
    public var writeTimeout: Duration = .seconds(30)
    /// How long a graceful shutdown waits for in-flight requests. Default 10 s.
    public var shutdownGracePeriod: Duration = .seconds(10)

    /// Most open connections. Default 1024; a connection beyond it gets 503 and is closed.
    public var maxConnections: Int = 1024
    /// Number of event-loop threads serving sockets. Default 1; 2 helps on machines with more
    /// than two cores.
    public var eventLoopCount: Int = 1
    /// `listen(2)` backlog. Default 1024.
    public var backlog: Int32 = 1024
    /// Peer addresses (as printed by inet_ntop, e.g. "127.0.0.1") whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed. Default none.
    public var trustedProxies: Set<String> = []

    public init() {}
}
