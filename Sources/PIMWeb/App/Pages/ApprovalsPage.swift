import Foundation
import PIMAuth
import PIMCore
import PIMTemplates

/// Approve requests: pending requests I may decide (never my own). Tick one or several, give a
/// justification, Approve or Deny; a TOTP code when a role asks approvers for one.
enum ApprovalsPage {
    static func show(_ context: AppContext) async throws -> PortalResponse {
        try await render(context, errors: FormErrors(), justification: "", ticked: [])
    }

    /// POST /approvals/decide: `request` ids, `decision` approve|deny, `justification`, `code`.
    static func decide(_ context: AppContext) async throws -> PortalResponse {
        let form = context.form
        let ids = form.ids("request")
        let justification = form.trimmed("justification")
        var errors = FormErrors()
        guard let decision = ApprovalDecision(rawValue: form["decision"] ?? "") else {
            throw PageError.badRequest("Choose Approve or Deny.")
        }
        if ids.isEmpty { errors.add("requests", "Tick at least one request.") }
        let pending = try await context.environment.queries.pendingApprovals(for: context.username, groups: context.user?.groups)
        let chosen = pending.filter { ids.contains($0.request.id) }
        let roles = try await rolesByID(chosen, context)
        if chosen.contains(where: { roles[$0.request.roleID]?.settings.activation.requireApproverJustification ?? true }),
           justification.isEmpty {
            errors.add(.approverJustificationRequired, field: "justification")
        }
        guard errors.isEmpty else { return try await render(context, errors: errors, justification: justification, ticked: ids) }

        var current = context
        var proofAt: Date?
        var setCookie: String?
        let needsCode = chosen.contains { roles[$0.request.roleID]?.settings.activation.requireApproverMFA ?? false }
            && !(context.session?.hasFreshMFA(within: Limits.adminProofAge, now: context.now) ?? false)
        if needsCode {
            let code = form.trimmed("code")
            let outcome: StepUpOutcome = code.isEmpty
                ? .refused("Enter the 6-digit code from your authenticator app.") : try context.stepUp(code: code)
            switch outcome {
            case .refused(let message):
                errors.add("code", message)
                return try await render(context, errors: errors, justification: justification, ticked: ids)
            case .proven(let result):
                current = context.with(session: result.session)
                proofAt = result.provenAt
                setCookie = result.setCookie
            }
        }

        // Each decision is its own transaction: one refused request does not undo the others.
        var done: [String] = []
        var refusals: [String] = []
        for id in ids {
            let name = chosen.first { $0.request.id == id }?.roleName ?? "Request \(id)"
            do {
                _ = try await context.environment.service.decide(
                    requestID: id, decision: decision, justification: justification.isEmpty ? nil : justification,
                    by: current.actor(mfaProvenAt: proofAt))
                done.append(name)
            } catch let refusal as PIMError {
                refusals.append("\(name): \(refusal.message)")
            }
        }
        guard let sessionID = current.session?.id else { return .seeOther("/signin") }
        var flash: [FlashMessage] = []
        if !done.isEmpty {
            let verb = decision == .approve ? "Approved" : "Denied"
            flash.append(FlashMessage(.success, "\(verb) \(done.count == 1 ? "1 request" : "\(done.count) requests"): \(done.joined(separator: ", "))."))
        }
        flash += refusals.map { FlashMessage(.error, $0) }
        var response = context.redirect(to: "/approvals", flash: flash, for: sessionID)
        if let setCookie { response.addCookie(setCookie) }
        return response
    }

    private static func rolesByID(_ rows: [RequestRow], _ context: AppContext) async throws -> [Int64: Role] {
        var roles: [Int64: Role] = [:]
        for id in Set(rows.map(\.request.roleID)) { roles[id] = try await context.environment.queries.role(id: id) }
        return roles
    }

    private static func render(_ context: AppContext, errors: FormErrors, justification: String, ticked: [Int64]) async throws -> PortalResponse {
        let rows = try await context.environment.queries.pendingApprovals(for: context.username, groups: context.user?.groups)
        let roles = try await rolesByID(rows, context)
        let needsCode = rows.contains { roles[$0.request.roleID]?.settings.activation.requireApproverMFA ?? false }
            && !(context.session?.hasFreshMFA(within: Limits.adminProofAge, now: context.now) ?? false)
        return try context.page(
            "pages/approvals", title: "Approve requests",
            breadcrumbs: [Crumb("Home", "/"), Crumb("Approve requests")],
            values: [
                "rows": .list(rows.map { row in
                    var value = RowViews.request(row, directory: context.environment.directory)
                    if case .dict(var dict) = value {
                        dict["ticked"] = .bool(ticked.contains(row.request.id))
                        value = .dict(dict)
                    }
                    return value
                }),
                "form": ["errors": errors.templateValue],
                "justification": .string(justification),
                "justificationError": .string(errors.message(for: "justification") ?? ""),
                "requestsError": .string(errors.message(for: "requests") ?? ""),
                "needsCode": .bool(needsCode),
                "codeError": .string(errors.message(for: "code") ?? ""),
            ],
            status: errors.isEmpty ? .ok : .unprocessableContent)
    }
}
