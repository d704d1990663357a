import Foundation
import PIMAuth
import PIMCore
import PIMTemplates

/// What the Manage pages share: the use-case service, the caller as PIMCore sees them, path
/// parameters, and the small template values every form uses.
extension AppContext {
    /// The `:name` path parameter as a positive id, or a 404.
    func idParameter(_ name: String = "id") throws -> Int64 {
        guard let text = request.parameters[name], let id = Int64(text), id > 0 else { throw PageError.notFound }
        return id
    }

    /// A value from a POST body, or from the query string on a GET.
    func field(_ name: String) -> String {
        request.head.method == .post ? form.trimmed(name) : query.trimmed(name)
    }
}

enum FormValues {
    /// `{name: message}` for each of `fields` ("" when the field has no message), so templates can
    /// test `e.name` in strict mode.
    static func errors(_ errors: FormErrors, fields: [String]) -> TemplateValue {
        var dict: [String: TemplateValue] = [:]
        for name in fields { dict[name] = .string(errors.message(for: name) ?? "") }
        return .dict(dict)
    }

    /// `{name: value}` for each of `fields` ("" when absent).
    static func values(_ values: [String: String], fields: [String]) -> TemplateValue {
        var dict: [String: TemplateValue] = [:]
        for name in fields { dict[name] = .string(values[name] ?? "") }
        return .dict(dict)
    }

    /// Options of a select: `[{value, label, selected}]`.
    static func options(_ pairs: [(value: String, label: String)], selected: String) -> TemplateValue {
        .list(pairs.map { ["value": .string($0.value), "label": .string($0.label), "selected": .bool($0.value == selected)] })
    }

    /// The template value of a form's messages for `partials/form-errors`.
    static func form(_ errors: FormErrors) -> TemplateValue {
        ["errors": errors.templateValue]
    }

    /// Which field of the Manage forms a PIMCore refusal belongs to.
    static func field(for refusal: PIMError) -> String? {
        switch refusal {
        case .startInPast: "start"
        case .endBeforeStart, .durationTooShort, .windowBeyondLimit, .permanentNotAllowed: "end"
        case .justificationRequired, .justificationPatternMismatch: "justification"
        case .mfaRequired: "code"
        case .roleNameEmpty, .roleNameTaken: "name"
        default: nil
        }
    }
}
