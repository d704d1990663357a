import Foundation
import HTTPTypes
import Logging
import PIMAuth
import Synchronization
import PIMCore

/// The portal's request pipeline, in DESIGN.md's order: route → (POST) Origin check → session
/// load → (POST) CSRF check → access control → handler → security headers. Every answer, errors
/// included, leaves with the security headers.
struct PortalApp: Sendable {
    let environment: AppEnvironment

    init(environment: AppEnvironment) {
        self.environment = environment
    }

    /// The portal alone on a Router (tests; `pim serve` mounts it next to the static files).
    func router() -> Router {
        var builder = RouterBuilder()
        register(in: &builder)
        return builder.build(logger: environment.logger)
    }

    /// One request through the http Router and the portal pipeline, in-process.
    func respond(to request: PortalRequest, router: Router? = nil) async -> PortalResponse {
        let web = WebRequest(head: request.head, body: request.body, remoteAddress: request.remoteAddress ?? "127.0.0.1",
                             clientScheme: request.isSecure ? "https" : "http", id: request.requestID)
        let answer = await (router ?? self.router()).respond(to: web)
        switch answer.body {
        case .bytes(let body):
            return PortalResponse(status: answer.status, headerFields: answer.headerFields, body: body)
        case .stream(let produce):
            // A streamed body (downloads) is collected whole: in-process callers read it at once.
            let collected = Mutex<[UInt8]>([])
            do {
                try await produce(BodyWriter { bytes in collected.withLock { $0 += bytes } })
            } catch {
                environment.logger.error("streamed body failed", metadata: ["error": "\(error)"])
            }
            return PortalResponse(status: answer.status, headerFields: answer.headerFields, body: collected.withLock { $0 })
        }
    }

    /// Every answer leaves with the security headers (and no body for HEAD).
    func finish(_ response: PortalResponse, for request: PortalRequest) -> PortalResponse {
        var response = response
        SecurityHeaders.apply(to: &response)
        if request.head.method == .head { response.body = [] }
        return response
    }

    /// Runs one matched route through the pipeline (the http Router calls it after its match;
    /// see PortalApp+Router.swift).
    func handle(_ request: PortalRequest, route: Route) async -> PortalResponse {
        let now = environment.clock.now()
        let isPost = request.head.method == .post
        let loaded: SessionLoader.Loaded
        do {
            loaded = try await SessionLoader.load(request, environment: environment, now: now, route: route)
        } catch {
            environment.logger.error("session load failed", metadata: ["request": "\(request.requestID)", "error": "\(error)"])
            return plainError(.internalError)
        }
        let context = AppContext(request: request, environment: environment, session: loaded.session,
                                 user: loaded.user, roles: loaded.roles, now: now, preloaded: loaded.preloaded)

        if isPost {
            guard RequestChecks.originAllowed(request, environment: environment) else {
                return errorPage(.badOrigin, context)
            }
            guard RequestChecks.csrfValid(request, policy: route.csrf, session: loaded.session, now: now,
                                          environment: environment) else {
                environment.logger.notice("CSRF check failed", metadata: ["request": "\(request.requestID)", "path": "\(request.path)"])
                return errorPage(.csrfFailed, context)
            }
        }

        switch AccessControl.decide(route.access, context: context) {
        case .allow:
            break
        case .signIn(let next):
            var response = PortalResponse.seeOther(AccessControl.signInLocation(next: next, expired: loaded.expired))
            if loaded.expired { response.addCookie(SessionCookie.clearCookie(secure: request.isSecure)) }
            return response
        case .forbidden:
            return errorPage(.forbidden, context)
        }

        do {
            return try await route.handler(context)
        } catch let error as PageError {
            return errorPage(error, context)
        } catch let refusal as PIMError {
            return await refused(refusal, context)
        } catch {
            environment.logger.error("handler failed", metadata: [
                "request": "\(request.requestID)", "path": "\(request.path)", "error": "\(error)"])
            return errorPage(.internalError, context)
        }
    }

    /// A refusal no handler turned into a form message: after a POST, back to the page the form
    /// was on with the sentence as a flash; on a GET, the sentence as the page.
    private func refused(_ refusal: PIMError, _ context: AppContext) async -> PortalResponse {
        if context.request.head.method == .post, context.session != nil,
           let response = try? await context.redirect(to: returnPath(context), flash: FlashMessage(.error, refusal.message)) {
            return response
        }
        return errorPage(PageError(status: .conflict, title: "Cannot do that", message: refusal.message), context)
    }

    /// The `return_to` field when it is a local path, else the same-origin Referer's path, else Home.
    private func returnPath(_ context: AppContext) -> String {
        if let field = context.form["return_to"] { return AccessControl.safeNext(field) }
        if let referer = context.request.head.headerFields[HTTPField.Name("Referer")!],
           let url = URL(string: referer), let host = url.host,
           let authority = context.request.head.authority ?? context.request.head.headerFields[HTTPField.Name("Host")!],
           authority == (url.port.map { "\(host):\($0)" } ?? host) {
            return AccessControl.safeNext(url.path + (url.query.map { "?" + $0 } ?? ""))
        }
        return "/"
    }

    private func errorPage(_ error: PageError, _ context: AppContext) -> PortalResponse {
        do {
            return try context.page("pages/error", title: error.title, values: ["message": .string(error.message)],
                                    status: error.status)
        } catch {
            environment.logger.error("error page failed", metadata: ["error": "\(error)"])
            return plainError(error as? PageError ?? .internalError)
        }
    }

    /// A 404/405 page in the layout (signed-in users keep their navigation).
    func handleUnrouted(_ request: PortalRequest, error: PageError) async -> PortalResponse {
        let now = environment.clock.now()
        guard let loaded = try? await SessionLoader.load(request, environment: environment, now: now) else {
            return plainError(error)
        }
        let context = AppContext(request: request, environment: environment, session: loaded.session,
                                 user: loaded.user, roles: loaded.roles, now: now)
        return errorPage(error, context)
    }

    private func plainError(_ error: PageError) -> PortalResponse {
        .text(error.title + "\n" + error.message + "\n", status: error.status)
    }
}
