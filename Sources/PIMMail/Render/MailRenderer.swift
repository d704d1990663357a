import Foundation
import PIMCore
import PIMTemplates

/// Renders the text and HTML parts of every kind from PIMMail's own templates
/// (Sources/PIMMail/Templates: `html/KIND.html` and `text/KIND.html`), parsed once at start-up.
/// A kind without both templates is a start-up error, never an empty mail.
struct MailRenderer: Sendable {
    private let library: TemplateLibrary

    init(directory: URL? = nil) throws {
        guard let directory = directory ?? Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw MailError.invalidConfiguration("mail templates are missing from the PIMMail bundle")
        }
        library = try TemplateLibrary(directory: directory, options: .init(mode: .strict, reloadOnChange: false, logger: { _ in }))
        // Prove every kind renders with empty facts now, not when its first mail is due.
        for kind in OutboxKind.allCases {
            _ = try render(kind: kind, values: Self.values(facts: MailFacts(values: [:]), link: "https://pim.invalid/", window: "", recipientName: ""), now: Date(timeIntervalSince1970: 0))
        }
    }

    struct Parts: Sendable, Equatable {
        var text: String
        var html: String
    }

    func render(kind: OutboxKind, values: TemplateValue, now: Date) throws -> Parts {
        let text = try library.render("text/\(kind.rawValue)", values, now: now)
        let html = try library.render("html/\(kind.rawValue)", values, now: now)
        return Parts(text: Self.unescapeText(text), html: html)
    }

    static func values(facts: MailFacts, link: String, window: String, recipientName: String) -> TemplateValue {
        var factValues: [String: TemplateValue] = [:]
        for (key, value) in facts.values { factValues[key] = .string(value) }
        factValues["requesterDisplay"] = .string(facts.person("requester"))
        factValues["assigneeDisplay"] = .string(facts.person("assignee"))
        factValues["decidedByDisplay"] = .string(facts.person("decidedBy"))
        factValues["inDaysText"] = .string(facts.inDaysText)
        return .dict([
            "facts": .dict(factValues),
            "link": .string(link),
            "window": .string(window),
            "recipientName": .string(recipientName),
        ])
    }

    /// The engine escapes every value for HTML (`& < > " '`, PIMTemplates README "Escaping");
    /// the text part is not HTML, so the five references are turned back into characters.
    /// The text templates' own wording contains none of them.
    static func unescapeText(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
