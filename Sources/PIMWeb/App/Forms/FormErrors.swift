import PIMCore
import PIMTemplates

/// Validation messages of one submitted form: per field (shown next to it, tied with
/// `aria-describedby`) and in the summary at the top, in the order they were found.
struct FormErrors: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        /// The field's `id`/`name`, or nil for a message about the whole form.
        let field: String?
        let message: String
    }

    private(set) var entries: [Entry] = []

    init() {}

    var isEmpty: Bool { entries.isEmpty }

    /// Adds a message for `field`; only the first message per field is kept.
    mutating func add(_ field: String?, _ message: String) {
        if let field, entries.contains(where: { $0.field == field }) { return }
        entries.append(Entry(field: field, message: message))
    }

    /// A PIMCore refusal, at the field it concerns (or at the top).
    mutating func add(_ refusal: PIMError, field: String? = nil) {
        add(field ?? Self.field(for: refusal), refusal.message)
    }

    func message(for field: String) -> String? {
        entries.first { $0.field == field }?.message
    }

    /// `[{field, message}]` for `partials/form-errors`.
    var templateValue: TemplateValue {
        .list(entries.map { ["field": $0.field.map(TemplateValue.string) ?? .null, "message": .string($0.message)] })
    }

    /// Which activation/approval form field a refusal belongs to, so the message sits next to it.
    static func field(for refusal: PIMError) -> String? {
        switch refusal {
        case .durationTooLong, .durationTooShort: "duration"
        case .startInPast, .startOutsideEligibility: "start"
        case .justificationRequired, .justificationPatternMismatch, .approverJustificationRequired: "justification"
        case .ticketRequired: "ticketNumber"
        case .mfaRequired, .approverMFARequired: "code"
        default: nil
        }
    }
}
