import Foundation
import PIMTemplates

/// The root value of a page render: the layout's keys (`app`, `user`, `csrf`, `nav`, `page`,
/// `flash`, `tz`, `now`) answered by name, then the page's own `values`. As one dictionary, the
/// root cost a resize and a dozen hashed inserts per request, and every layout lookup hashed its
/// name. Keys are matched by length, then name (see `AssignmentRowsView`).
final class PageValues: TemplateRenderable {
    let values: [String: TemplateValue]
    let app: TemplateValue
    let user: TemplateValue
    let csrf: TemplateValue
    let nav: TemplateValue
    let page: TemplateValue
    let flash: TemplateValue
    let tz: TemplateValue
    let now: TemplateValue

    init(
        values: [String: TemplateValue], app: TemplateValue, user: TemplateValue, csrf: TemplateValue,
        nav: TemplateValue, page: TemplateValue, flash: TemplateValue, tz: TemplateValue, now: TemplateValue
    ) {
        self.values = values
        self.app = app
        self.user = user
        self.csrf = csrf
        self.nav = nav
        self.page = page
        self.flash = flash
        self.tz = tz
        self.now = now
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        // The layout's keys win over a page value of the same name.
        switch (key.utf8.count, key) {
        case (3, "app"): app
        case (4, "user"): user
        case (4, "csrf"): csrf
        case (3, "nav"): nav
        case (4, "page"): page
        case (5, "flash"): flash
        case (2, "tz"): tz
        case (3, "now"): now
        default: values[key]
        }
    }
}

/// `app`: what the layout shows of the configuration.
final class AppValues: TemplateRenderable {
    let productName: String
    let demo: Bool
    let cssPath: String
    let jsPath: String
    let timeZoneName: String

    init(productName: String, demo: Bool, cssPath: String, jsPath: String, timeZoneName: String) {
        self.productName = productName
        self.demo = demo
        self.cssPath = cssPath
        self.jsPath = jsPath
        self.timeZoneName = timeZoneName
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch (key.utf8.count, key) {
        case (11, "productName"): .string(productName)
        case (4, "demo"): .bool(demo)
        case (7, "cssPath"): .string(cssPath)
        case (6, "jsPath"): .string(jsPath)
        case (12, "timeZoneName"): .string(timeZoneName)
        default: nil
        }
    }
}

/// `user` (signed in) and `page` (title and breadcrumbs): two keys each.
final class PairValues: TemplateRenderable {
    let keys: (String, String)
    let values: (TemplateValue, TemplateValue)

    init(_ first: (String, TemplateValue), _ second: (String, TemplateValue)) {
        keys = (first.0, second.0)
        values = (first.1, second.1)
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        if key == keys.0 { return values.0 }
        if key == keys.1 { return values.1 }
        return nil
    }
}
