import Foundation
import PIMAuth
import PIMCore

/// The per-row actions of a role page (PIM Administrators): each a POST answered by a 303 back to
/// the role's tab with a flash; a date that cannot be read or a PIMCore refusal re-shows the page
/// with that row's form open, what was typed kept and the sentence next to it.
enum AssignmentActions {
    static func update(_ context: AppContext) async throws -> PortalResponse {
        try await perform(context, action: "update") { id, input in
            guard let start = input.date("start") else { throw InputError("Enter the start as a date and time.") }
            let end = input.flag("permanent") ? nil : try input.requiredDate("end")
            _ = try await context.environment.service.updateAssignment(
                id: id, start: start, end: end, justification: input.justification, by: context.actor())
            return "Assignment updated."
        }
    }

    static func extend(_ context: AppContext) async throws -> PortalResponse {
        try await perform(context, action: "extend") { id, input in
            let end = try input.requiredDate("end")
            let updated = try await context.environment.service.extendAssignment(
                id: id, newEnd: end, justification: input.justification, by: context.actor())
            return "Assignment extended until \(updated.end.map(context.times.full) ?? "no end")."
        }
    }

    static func renew(_ context: AppContext) async throws -> PortalResponse {
        try await perform(context, action: "renew") { id, input in
            let end = try input.requiredDate("end")
            _ = try await context.environment.service.renewAssignment(
                id: id, start: input.date("start"), end: end, justification: input.justification, by: context.actor())
            return "Assignment renewed until \(context.times.full(end))."
        }
    }

    static func remove(_ context: AppContext) async throws -> PortalResponse {
        try await perform(context, action: "remove") { id, input in
            try await context.environment.service.removeAssignment(id: id, justification: input.justification, by: context.actor())
            return "Assignment removed."
        }
    }

    static func revoke(_ context: AppContext) async throws -> PortalResponse {
        try await perform(context, action: "revoke") { id, input in
            try await context.environment.service.revoke(assignmentID: id, justification: input.justification, by: context.actor())
            return "Activation revoked."
        }
    }

    /// The fields of a row form, read in the configured time zone.
    struct Input {
        let form: FormData
        let times: TimeText

        var justification: String? {
            let text = form.trimmed("justification")
            return text.isEmpty ? nil : text
        }

        func flag(_ name: String) -> Bool { form[name] == "on" }

        func date(_ name: String) -> Date? {
            let text = form.trimmed(name)
            return text.isEmpty ? nil : times.parseInput(text)
        }

        func requiredDate(_ name: String) throws -> Date {
            guard let date = date(name) else { throw InputError("Enter the \(name) as a date and time.") }
            return date
        }
    }

    /// A field that could not be read; shown like a refusal.
    struct InputError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    private static func perform(
        _ context: AppContext, action: String, _ body: (Int64, Input) async throws -> String
    ) async throws -> PortalResponse {
        let id = try context.idParameter()
        guard let row = try await context.environment.queries.assignment(id: id) else { throw PageError.notFound }
        let roleID = row.roleID
        let tab = row.tab(at: context.now)
        let input = Input(form: context.form, times: context.times)
        let message: String
        do {
            message = try await body(id, input)
        } catch let refusal as PIMError {
            return try await reshow(context, roleID: roleID, tab: tab, id: id, action: action, message: refusal.message)
        } catch let error as InputError {
            return try await reshow(context, roleID: roleID, tab: tab, id: id, action: action, message: error.message)
        }
        let after = try await context.environment.queries.assignment(id: id)
        let landing = after.map { $0.tab(at: context.now) } ?? tab
        return try await context.redirect(to: "/roles/\(roleID)?tab=\(landing.rawValue)", flash: FlashMessage(.success, message))
    }

    private static func reshow(
        _ context: AppContext, roleID: Int64, tab: AssignmentTab, id: Int64, action: String, message: String
    ) async throws -> PortalResponse {
        var values: [String: String] = [:]
        for name in ["start", "end", "permanent", "justification"] { values[name] = context.form.trimmed(name) }
        // Date inputs can only hold valid values; one that could not be read is dropped (the message says so).
        for name in ["start", "end"] where context.times.parseInput(values[name] ?? "") == nil { values[name] = "" }
        let open = RolePage.OpenAction(assignmentID: id, action: action, values: values, message: message)
        return try await RolePage.render(context, roleID: roleID, tab: tab, open: open, status: .unprocessableContent,
                                         topError: message)
    }
}
