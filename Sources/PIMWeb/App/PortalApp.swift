import Foundation
import HTTPTypes
import Logging
import PIMAuth
import PIMCore

/// The portal's request pipeline, in DESIGN.md's order: route → (POST) Origin check → session
/// load → (POST) CSRF check → access control → handler → security headers. Every answer, errors
/// included, leaves with the security headers.
struct PortalApp: Sendable {
    let environment: AppEnvironment

    init(environment: AppEnvironment) {
        self.environment = environment
    }

    func respond(to request: PortalRequest) async -> PortalResponse {
        finish(await route(request), for: request)
    }

    /// Every answer leaves with the security headers (and no body for HEAD).
    func finish(_ response: PortalResponse, for request: PortalRequest) -> PortalResponse {
        var response = response
        SecurityHeaders.apply(to: &response)
        if request.head.method == .head { response.body = [] }
        return response
    }

    private func route(_ incoming: PortalRequest) async -> PortalResponse {
        let lookup = environment.routes.lookup(method: incoming.head.method, path: incoming.path)
        guard case .found(let route, let parameters) = lookup else {
            let status: PageError = if case .wrongMethod = lookup { .methodNotAllowed } else { .notFound }
            return await handleUnrouted(incoming, error: status)
        }
        var request = incoming
        request.parameters = parameters
        return await handle(request, route: route)
    }

    /// Runs one matched route through the pipeline (the http Router calls this directly after
    /// its own match; see PortalApp+Router.swift).
    func handle(_ request: PortalRequest, route: Route) async -> PortalResponse {
        let now = environment.clock.now()
        let isPost = request.head.method == .post
        let loaded: SessionLoader.Loaded
        do {
            loaded = try SessionLoader.load(request, environment: environment, now: now)
        } catch {
            environment.logger.error("session load failed", metadata: ["request": "\(request.requestID)", "error": "\(error)"])
            return plainError(.internalError)
        }
        let context = AppContext(request: request, environment: environment, session: loaded.session,
                                 user: loaded.user, roles: loaded.roles, now: now)

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
            return refused(refusal, context)
        } catch {
            environment.logger.error("handler failed", metadata: [
                "request": "\(request.requestID)", "path": "\(request.path)", "error": "\(error)"])
            return errorPage(.internalError, context)
        }
    }

    /// A refusal no handler turned into a form message: after a POST, back to the page the form
    /// was on with the sentence as a flash; on a GET, the sentence as the page.
    private func refused(_ refusal: PIMError, _ context: AppContext) -> PortalResponse {
        if context.request.head.method == .post, context.session != nil,
           let response = try? context.redirect(to: returnPath(context), flash: FlashMessage(.error, refusal.message)) {
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
        guard let loaded = try? SessionLoader.load(request, environment: environment, now: now) else {
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
