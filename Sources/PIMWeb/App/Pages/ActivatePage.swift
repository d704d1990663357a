import Foundation
import GRDB
import HTTPTypes
import PIMAuth
import PIMCore
import PIMTemplates

/// The Activate form (one role, several ticked ones, or Extend of an active activation):
/// duration in 30-minute steps up to the role maximum, optional custom start, justification,
/// ticket when required, TOTP code when required. Without an authenticator app the form says
/// "Additional verification required" and Continue leads to Security info and back here with
/// everything typed kept.
enum ActivatePage {
    /// The roles of the prefilled form (GET), read with the session.
    static let preloadQuery: PagePreload = { db, reader in
        try targets(ActivationDraft(reader.request.query), username: reader.username, in: db)
    }

    /// The roles of the submitted form (POST), read with the session.
    static let preloadForm: PagePreload = { db, reader in
        try targets(ActivationDraft(reader.request.form), username: reader.username, in: db)
    }

    static func show(_ context: AppContext) async throws -> PortalResponse {
        let (draft, needs) = try await prepare(context.query, context)
        return try render(context, draft: draft, needs: needs, errors: FormErrors())
    }

    /// POST /my-roles/activate (and /my-roles/extend for an activation).
    static func submit(_ context: AppContext) async throws -> PortalResponse {
        let (draft, needs) = try await prepare(context.form, context)
        var errors = validate(draft, needs: needs, times: context.times, now: context.now)
        // Only a form that asks for a code needs to know whether the user has an app.
        if needs.needsCode, try !context.environment.totp.status(for: context.username).enrolled {
            // Continue: set up an app first, then come back to this form with the values kept.
            return .seeOther("/security-info?" + FormData.encode([("return_to", draft.path)]))
        }
        guard errors.isEmpty else { return try render(context, draft: draft, needs: needs, errors: errors) }

        var current = context
        var proofAt: Date?
        var setCookie: String?
        if needs.needsCode {
            let code = context.form.trimmed("code")
            if code.isEmpty {
                errors.add("code", "Enter the 6-digit code from your authenticator app.")
                return try render(context, draft: draft, needs: needs, errors: errors)
            }
            switch try context.stepUp(code: code) {
            case .refused(let message):
                errors.add("code", message)
                return try render(context, draft: draft, needs: needs, errors: errors)
            case .proven(let result):
                current = context.with(session: result.session)
                proofAt = result.provenAt
                setCookie = result.setCookie
            }
        }

        let form = ActivationForm(
            durationMinutes: Int(draft.duration) ?? needs.maximumMinutes,
            start: draft.start.isEmpty ? nil : context.times.parseInput(draft.start),
            justification: draft.justification.isEmpty ? nil : draft.justification,
            ticketSystem: draft.ticketSystem.isEmpty ? nil : draft.ticketSystem,
            ticketNumber: draft.ticketNumber.isEmpty ? nil : draft.ticketNumber)
        guard let sessionID = current.session?.id else { return .seeOther("/signin") }
        let (times, now) = (context.times, context.now)
        let allPending: Bool
        let flash: [FlashMessage]
        do {
            if let extendID = draft.extendID {
                let outcome = try await context.environment.service.extendActivation(
                    assignmentID: extendID, form: form, by: current.actor(mfaProvenAt: proofAt))
                flash = [message(for: outcome, roleName: needs.roles.first?.name ?? "", times: times, now: now, extending: true)]
                allPending = isPending(outcome)
            } else {
                let outcomes = try await context.environment.service.activate(
                    roleIDs: draft.roleIDs, form: form, by: current.actor(mfaProvenAt: proofAt))
                flash = messages(for: outcomes, roles: needs.roles, times: times, now: now)
                allPending = outcomes.allSatisfy(isPending)
            }
        } catch let refusal as PIMError {
            errors.add(refusal)
            var response = try render(current, draft: draft, needs: needs, errors: errors)
            if let setCookie { response.addCookie(setCookie) }
            return response
        }
        var response = context.redirect(to: allPending ? "/my-requests" : "/my-roles?tab=active", flash: flash, for: sessionID)
        if let setCookie { response.addCookie(setCookie) }
        return response
    }

    /// The draft with its roles (those of the activation being extended, if any).
    struct Targets: Sendable {
        let draft: ActivationDraft
        let roles: [Role]
    }

    /// The draft's roles and their needs: from the route's preload, else read in one transaction.
    private static func prepare(_ fields: FormData, _ context: AppContext) async throws -> (ActivationDraft, ActivationNeeds) {
        let found: Targets
        if let preloaded = context.preloaded as? Targets {
            found = preloaded
        } else {
            let draft = ActivationDraft(fields)
            let username = context.username
            found = try await context.store.readOffPool { db in try targets(draft, username: username, in: db) }
        }
        return (found.draft, ActivationNeeds(roles: found.roles, sessionProofAt: context.session?.mfaVerifiedAt, now: context.now))
    }

    /// Loads the roles of the draft (or of the activation being extended).
    private static func targets(_ input: ActivationDraft, username: String, in db: Database) throws -> Targets {
        var draft = input
        if let extendID = draft.extendID {
            guard let assignment = try PIMQueries.assignment(id: extendID, in: db),
                  assignment.principal == .user(username), assignment.isActivation
            else { throw PageError.notFound }
            draft.roleIDs = [assignment.roleID]
        }
        guard !draft.roleIDs.isEmpty else {
            throw PageError.badRequest("Choose at least one role to activate on My roles.")
        }
        guard draft.roleIDs.count <= 50 else { throw PageError.badRequest("Choose at most 50 roles at once.") }
        var roles: [Role] = []
        for id in draft.roleIDs {
            guard let role = try PIMQueries.role(id: id, in: db) else { throw PageError.notFound }
            roles.append(role)
        }
        return Targets(draft: draft, roles: roles)
    }

    /// The checks the page can make before asking PIMCore (which checks everything again).
    private static func validate(_ draft: ActivationDraft, needs: ActivationNeeds, times: TimeText, now: Date) -> FormErrors {
        var errors = FormErrors()
        if let minutes = Int(draft.duration) {
            if minutes < 30 || minutes % 30 != 0 { errors.add("duration", "Choose a duration from the list.") }
            else if minutes > needs.maximumMinutes { errors.add(.durationTooLong(maximumMinutes: needs.maximumMinutes), field: "duration") }
        } else {
            errors.add("duration", "Choose a duration from the list.")
        }
        if !draft.start.isEmpty {
            if let start = times.parseInput(draft.start) {
                if start < now - Limits.startSkew { errors.add(.startInPast, field: "start") }
            } else {
                errors.add("start", "Enter the start as a date and time, for example 2026-11-25T14:30.")
            }
        }
        if needs.requireJustification, draft.justification.isEmpty { errors.add(.justificationRequired, field: "justification") }
        if draft.justification.count > 2000 { errors.add("justification", "Keep the justification under 2000 characters.") }
        if needs.requireTicket {
            if draft.ticketSystem.isEmpty { errors.add("ticketSystem", "Enter the ticket system.") }
            if draft.ticketNumber.isEmpty { errors.add("ticketNumber", "Enter the ticket number.") }
        }
        return errors
    }

    private static func isPending(_ outcome: ActivationOutcome) -> Bool {
        if case .pending = outcome { true } else { false }
    }

    private static func messages(for outcomes: [ActivationOutcome], roles: [Role], times: TimeText,
                                 now: Date) -> [FlashMessage] {
        zip(outcomes, roles).map { message(for: $0, roleName: $1.name, times: times, now: now, extending: false) }
    }

    private static func message(for outcome: ActivationOutcome, roleName: String, times: TimeText, now: Date,
                                extending: Bool) -> FlashMessage {
        switch outcome {
        case .activated(let assignment):
            let until = assignment.end.map { times.short($0, now: now) } ?? "further notice"
            return FlashMessage(.success, "\(roleName): \(extending ? "extended" : "activated") until \(until).")
        case .pending:
            return FlashMessage(.info, "\(roleName): pending approval. You will get an email when it is decided.")
        case .alreadyActive(let assignment):
            let until = assignment.end.map { times.short($0, now: now) } ?? "further notice"
            return FlashMessage(.warning, "\(roleName) is already active until \(until).")
        }
    }

    private static func render(_ context: AppContext, draft: ActivationDraft, needs: ActivationNeeds,
                               errors: FormErrors) throws -> PortalResponse {
        let enrolled = try context.environment.totp.status(for: context.username).enrolled
        let title = draft.extendID != nil ? "Extend activation" : needs.roles.count > 1 ? "Activate \(needs.roles.count) roles" : "Activate role"
        return try context.page(
            "pages/activate", title: title,
            breadcrumbs: [Crumb("Home", "/"), Crumb("My roles", "/my-roles"), Crumb(title)],
            values: [
                "roles": .list(needs.roles.map { role in
                    ["id": .int(Int(role.id)), "name": .string(role.name), "description": .string(role.description),
                     "approval": .bool(role.settings.activation.requireApproval)]
                }),
                "extendID": .string(draft.extendID.map(String.init) ?? ""),
                "action": .string(draft.extendID != nil ? "/my-roles/extend" : "/my-roles/activate"),
                "form": ["errors": errors.templateValue],
                "fields": ActivationFields.values(draft: draft, needs: needs, errors: errors, times: context.times),
                "needsEnrolment": .bool(needs.needsCode && !enrolled),
                "needsCode": .bool(needs.needsCode && enrolled),
                "codeError": .string(errors.message(for: "code") ?? ""),
                "approvalRoles": .string(needs.approvalRoles.joined(separator: ", ")),
            ],
            status: errors.isEmpty ? .ok : .unprocessableContent)
    }
}
