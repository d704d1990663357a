import PIMTemplates

/// A navigation or tab link as the layout's menu and `partials/tabs` print it: `label`, `href`,
/// `current`, `ariaCurrent` ("page" or "false") and `count` (null when none). An object rather
/// than a dictionary: a page prints a dozen of them, and answering a key here is a few string
/// comparisons where a dictionary hashed it (and a tab dictionary was built per request).
final class LinkView: TemplateRenderable {
    let label: String
    let href: String
    let current: Bool
    let count: Int?

    init(label: String, href: String, current: Bool, count: Int? = nil) {
        self.label = label
        self.href = href
        self.current = current
        self.count = count
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "label": .string(label)
        case "href": .string(href)
        case "current": .bool(current)
        case "ariaCurrent": .string(current ? "page" : "false")
        case "count": count.map { .int($0) } ?? .null
        default: nil
        }
    }
}
