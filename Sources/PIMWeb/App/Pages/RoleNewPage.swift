import Foundation
import HTTPTypes
import PIMAuth
import PIMCore

/// Create a custom role (name, description; default settings) and delete one. Built-in roles
/// cannot be deleted: PIMCore refuses, and the page says so.
enum RoleNewPage {
    static let fields = ["name", "description"]

    static func show(_ context: AppContext) async throws -> PortalResponse {
        try render(context, values: [:], errors: FormErrors())
    }

    static func create(_ context: AppContext) async throws -> PortalResponse {
        let values = ["name": context.form.trimmed("name"), "description": context.form.trimmed("description")]
        var errors = FormErrors()
        do {
            let role = try await context.environment.service.createRole(
                name: values["name"] ?? "", description: values["description"] ?? "", by: context.actor())
            return try await context.redirect(
                to: "/roles/\(role.id)", flash: FlashMessage(.success, "Role \(role.name) created with the default settings."))
        } catch let refusal as PIMError {
            errors.add(FormValues.field(for: refusal), refusal.message)
        }
        return try render(context, values: values, errors: errors, status: .unprocessableContent)
    }

    static func delete(_ context: AppContext) async throws -> PortalResponse {
        let id = try context.idParameter()
        let role = try await RoleAssignPage.loadRole(context, id)
        do {
            try await context.environment.service.deleteRole(id: id, by: context.actor())
        } catch let refusal as PIMError {
            return try await context.redirect(to: "/roles/\(id)", flash: FlashMessage(.error, refusal.message))
        }
        return try await context.redirect(to: "/roles", flash: FlashMessage(.success, "Role \(role.name) deleted."))
    }

    private static func render(
        _ context: AppContext, values: [String: String], errors: FormErrors, status: HTTPResponse.Status = .ok
    ) throws -> PortalResponse {
        try context.page(
            "pages/role-new", title: "New role",
            breadcrumbs: [Crumb("Manage"), Crumb("Roles", "/roles"), Crumb("New role")],
            values: [
                "v": FormValues.values(values, fields: fields), "e": FormValues.errors(errors, fields: fields),
                "form": FormValues.form(errors),
            ],
            status: status)
    }
}
