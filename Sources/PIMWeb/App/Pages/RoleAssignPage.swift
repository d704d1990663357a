import Foundation
import HTTPTypes
import PIMAuth
import PIMCore
import PIMTemplates

/// The Add assignments wizard. Step 1 (Membership) is a GET form: the role, the members ticked so
/// far and a name search through the Directory; Search stays on step 1, Next goes to step 2
/// (Setting) with the choices in the query. Step 2 POSTs everything (members as hidden fields) to
/// Assign; a refusal re-shows step 2 with the values kept.
enum RoleAssignPage {
    static let stepLabels = ["Membership", "Setting"]
    static let settingFields = ["type", "duration", "start", "end", "justification", "code"]

    /// GET /roles/:id/assign — step 1.
    static func membership(_ context: AppContext) async throws -> PortalResponse {
        try await renderMembership(context, roleID: try roleID(context), members: members(context.query.all("member")),
                                   errors: FormErrors())
    }

    /// GET or POST /roles/:id/assign/setting — step 2 (back to step 1 when no member is chosen).
    static func setting(_ context: AppContext) async throws -> PortalResponse {
        let roleID = try roleID(context)
        let source = context.request.head.method == .post ? context.form : context.query
        let members = members(source.all("member"))
        guard !members.isEmpty else {
            var errors = FormErrors()
            errors.add("members", PIMError.noMembers.message)
            return try await renderMembership(context, roleID: roleID, members: [], errors: errors, status: .unprocessableContent)
        }
        let role = try await loadRole(context, roleID)
        let type: AssignmentType = .eligible
        let limit = role.settings.assignment.expiry(for: type)
        let values = [
            "type": type.rawValue, "duration": limit == nil ? "permanent" : "bounded",
            "start": context.times.inputValue(context.now),
            "end": context.times.inputValue(context.now + (limit?.seconds ?? 30 * 86_400)),
            "justification": "",
        ]
        return try renderSetting(context, role: role, members: members, values: values, errors: FormErrors())
    }

    /// POST /roles/:id/assign — makes the assignments.
    static func assign(_ context: AppContext) async throws -> PortalResponse {
        let roleID = try roleID(context)
        let form = context.form
        let members = members(form.all("member"))
        let role = try await loadRole(context, roleID)
        var values: [String: String] = [:]
        for name in settingFields where name != "code" { values[name] = form.trimmed(name) }
        var errors = FormErrors()
        if members.isEmpty { errors.add(nil, PIMError.noMembers.message) }
        let type = AssignmentType(rawValue: values["type"] ?? "")
        if type == nil { errors.add("type", "Choose eligible or active.") }
        var start: Date?
        var end: Date?
        if !(values["start"] ?? "").isEmpty {
            start = context.times.parseInput(values["start"] ?? "")
            if start == nil { errors.add("start", "Enter the start as a date and time.") }
        }
        switch values["duration"] {
        case "permanent":
            break
        case "bounded":
            end = context.times.parseInput(values["end"] ?? "")
            if end == nil { errors.add("end", "Enter the end as a date and time.") }
        default:
            errors.add("duration", "Choose permanent or a start and end.")
        }
        var proofAt: Date?
        if type == .active, role.settings.assignment.requireMFAOnActive, errors.isEmpty {
            let outcome = try context.environment.totp.verify(
                user: context.username, code: form.trimmed("code"), sourceAddress: context.request.remoteAddress)
            if case .accepted(let at) = outcome { proofAt = at } else {
                errors.add("code", outcome.message(now: context.now) ?? "That code is not right.")
            }
        }
        if errors.isEmpty, let type {
            do {
                let made = try await context.environment.service.assign(
                    roleID: roleID, members: members, type: type, start: start, end: end,
                    justification: values["justification"].flatMap { $0.isEmpty ? nil : $0 },
                    by: context.actor(mfaProvenAt: proofAt))
                let count = made.count == 1 ? "1 member" : "\(made.count) members"
                return try await context.redirect(
                    to: "/roles/\(roleID)?tab=\(type.rawValue)",
                    flash: FlashMessage(.success, "Assigned \(count) as \(type.rawValue) for \(role.name)."))
            } catch let refusal as PIMError {
                errors.add(FormValues.field(for: refusal) ?? nil, refusal.message)
            }
        }
        return try renderSetting(context, role: role, members: members, values: values, errors: errors,
                                 status: .unprocessableContent)
    }

    // MARK: Rendering

    private static func renderMembership(
        _ context: AppContext, roleID: Int64, members: [PrincipalRef], errors: FormErrors,
        status: HTTPResponse.Status = .ok
    ) async throws -> PortalResponse {
        let role = try await loadRole(context, roleID)
        let names = try await context.environment.queries.roles(limit: 1000)
        let search = context.query.trimmed("q")
        let chosen = Set(members)
        let results = search.isEmpty ? [] : context.environment.directory.search(prefix: search, limit: 25)
            .filter { !chosen.contains($0) }
        return try context.page(
            "pages/role-assign", title: "Add assignments",
            breadcrumbs: crumbs(role),
            values: [
                "role": ["id": .int(Int(roleID)), "name": .string(role.name)],
                "roleOptions": FormValues.options(names.map { (String($0.id), $0.name) }, selected: String(roleID)),
                "steps": steps(current: 1),
                "selected": .list(members.map { memberValue($0, context) }),
                "results": .list(results.map { memberValue($0, context) }),
                "q": .string(search),
                "memberError": .string(errors.message(for: "members") ?? ""),
                "form": FormValues.form(errors),
            ],
            status: status)
    }

    private static func renderSetting(
        _ context: AppContext, role: Role, members: [PrincipalRef], values: [String: String], errors: FormErrors,
        status: HTTPResponse.Status = .ok
    ) throws -> PortalResponse {
        let settings = role.settings.assignment
        let limits = AssignmentType.allCases.map { type in
            "\(type.rawValue.capitalized): " + (settings.expiry(for: type).map { "at most \($0.label)" } ?? "permanent allowed")
        }.joined(separator: "; ")
        let encoded = members.map(encode)
        // A datetime-local input can only hold a valid value; one that could not be read is dropped
        // (its message says so).
        var values = values
        for name in ["start", "end"] where context.times.parseInput(values[name] ?? "") == nil { values[name] = "" }
        let back = FormData.encode([("role", String(role.id))] + encoded.map { ("member", $0) })
        return try context.page(
            "pages/role-assign-setting", title: "Add assignments",
            breadcrumbs: crumbs(role),
            values: [
                "role": ["id": .int(Int(role.id)), "name": .string(role.name)],
                "steps": steps(current: 2),
                "members": .list(encoded.map(TemplateValue.string)),
                "memberLabels": .list(members.map { .string(label($0, context)) }),
                "backQuery": .string(back),
                "values": FormValues.values(values, fields: settingFields),
                "errors": FormValues.errors(errors, fields: settingFields),
                "form": FormValues.form(errors),
                "limitsHint": .string(limits + "."),
                "mfaRequired": .bool(settings.requireMFAOnActive),
                "justificationRequired": .bool(settings.requireJustificationOnActive),
            ],
            status: status)
    }

    private static func steps(current: Int) -> TemplateValue {
        .list(stepLabels.enumerated().map { index, label in
            let number = index + 1
            let state = number < current ? "done" : number == current ? "current" : "todo"
            return ["number": .int(number), "label": .string(label), "state": .string(state),
                    "ariaCurrent": .string(number == current ? "step" : "false")]
        })
    }

    private static func crumbs(_ role: Role) -> [Crumb] {
        [Crumb("Manage"), Crumb("Roles", "/roles"), Crumb(role.name, "/roles/\(role.id)"), Crumb("Add assignments")]
    }

    // MARK: Members as form values ("user:alice", "group:secops")

    static func members(_ values: [String]) -> [PrincipalRef] {
        var seen = Set<PrincipalRef>()
        return values.compactMap { value -> PrincipalRef? in
            let parts = value.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let kind = PrincipalRef.Kind(rawValue: String(parts[0])), !parts[1].isEmpty else { return nil }
            return PrincipalRef(kind: kind, name: String(parts[1]))
        }.filter { seen.insert($0).inserted }
    }

    static func encode(_ member: PrincipalRef) -> String { "\(member.kind.rawValue):\(member.name)" }

    private static func label(_ member: PrincipalRef, _ context: AppContext) -> String {
        guard member.kind == .user, let user = context.environment.directory.user(named: member.name),
              !user.displayName.isEmpty, user.displayName != member.name else { return member.description }
        return "\(user.displayName) (\(member.name))"
    }

    private static func memberValue(_ member: PrincipalRef, _ context: AppContext) -> TemplateValue {
        ["value": .string(encode(member)), "label": .string(label(member, context))]
    }

    /// The role chosen in the form (step 1's select) or in the path.
    private static func roleID(_ context: AppContext) throws -> Int64 {
        if let chosen = Int64(context.field("role")), chosen > 0 { return chosen }
        return try context.idParameter()
    }

    static func loadRole(_ context: AppContext, _ id: Int64) async throws -> Role {
        guard let role = try await context.environment.queries.role(id: id) else { throw PageError.notFound }
        return role
    }
}
