import HTTPTypes

/// Mounts the portal on the http server's Router: each line of the route table becomes a route
/// of the Router, whose handler runs the portal pipeline for the matched route. Requests the
/// portal does not route (static files, the Router's own 404/405) get the security headers from
/// `SecurityHeadersMiddleware`.
extension PortalApp {
    func register(in router: inout RouterBuilder) {
        for route in environment.routes.routes {
            let app = self
            router.add(route.method, route.pattern) { web in
                let request = PortalRequest(web)
                return app.finish(await app.handle(request, route: route), for: request).webResponse
            }
        }
        // Any other GET (outside /static/) gets the 404 page in the layout.
        let app = self
        router.get("/*path") { web in
            let request = PortalRequest(web)
            return app.finish(await app.handleUnrouted(request, error: .notFound), for: request).webResponse
        }
        router.use(SecurityHeadersMiddleware())
    }
}

extension PortalRequest {
    /// The http server's request as the portal sees it: the client address and scheme are the
    /// ones the server resolved (X-Forwarded-* only from trusted proxies).
    init(_ web: WebRequest) {
        self.init(head: web.head, target: web.target, body: web.body, remoteAddress: web.clientAddress, requestID: web.id,
                  isSecure: web.clientScheme == "https")
        parameters = web.parameters
    }
}

extension PortalResponse {
    /// A streamed body (the CSV downloads) goes out as the server's streaming body (chunked).
    var webResponse: WebResponse {
        guard let stream else { return WebResponse(status: status, headerFields: headerFields, body: .bytes(body)) }
        return WebResponse(status: status, headerFields: headerFields, body: .stream { writer in
            try await stream { try await writer.write($0) }
        })
    }
}

/// CSP, nosniff, Referrer-Policy and frame denial on everything the Router answers; `no-store`
/// only where the response did not choose its own caching (static files keep theirs).
struct SecurityHeadersMiddleware: Middleware {
    func handle(_ request: WebRequest, next: Handler) async throws -> WebResponse {
        var web = try await next(request)
        // The portal's own answers already carry every header (PortalApp.finish).
        guard web.headerFields[SecurityHeaders.contentSecurityPolicyName] != SecurityHeaders.contentSecurityPolicy
        else { return web }
        SecurityHeaders.apply(to: &web.headerFields, noStore: web.headerFields[.cacheControl] == nil)
        return web
    }
}
