import HTTPTypes

/// The one HTTP-facing error: a status and a sentence safe to show. Anything else a handler
/// throws becomes a generic 500 page; its detail goes to the log only.
struct PageError: Error, Sendable, Equatable {
    let status: HTTPResponse.Status
    let title: String
    let message: String

    init(status: HTTPResponse.Status, title: String, message: String) {
        self.status = status
        self.title = title
        self.message = message
    }

    static let notFound = PageError(
        status: .notFound, title: "Page not found", message: "There is no page at this address.")
    static let forbidden = PageError(
        status: .forbidden, title: "Not allowed", message: "You do not have permission to use this page.")
    static let csrfFailed = PageError(
        status: .forbidden, title: "Form expired",
        message: "This form could not be accepted because it expired or came from another site. Go back, reload the page and try again.")
    static let badOrigin = PageError(
        status: .forbidden, title: "Not allowed", message: "This request came from another site and was refused.")
    static let methodNotAllowed = PageError(
        status: .methodNotAllowed, title: "Not allowed", message: "This page does not accept that kind of request.")
    static let internalError = PageError(
        status: .internalServerError, title: "Something went wrong",
        message: "PIM could not complete this request. Nothing was changed unless a message said so. Try again; if it keeps happening, tell your administrator.")

    static func badRequest(_ message: String) -> PageError {
        PageError(status: .badRequest, title: "Cannot do that", message: message)
    }
}
