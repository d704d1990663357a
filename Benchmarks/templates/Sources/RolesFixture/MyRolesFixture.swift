import Foundation
import PIMTemplates

/// PIM's own GET /my-roles page (Sources/PIMWeb/App/Templates, read from the product's tree), with
/// the data `pim dev bench-seed` gives the benchmark viewer: 25 permanent, direct eligible roles
/// whose names need escaping. The root value is built per render the way
/// `AppContext.page` builds it, and rows answer keys the way `AssignmentRowsView` does.
public struct MyRolesFixture: Sendable {
    let templates: TemplateSet
    let now = Date(timeIntervalSince1970: 1_795_608_000)
    let rows: [Row]
    let nav: TemplateValue

    /// The fields of `RoleAssignmentRow` the view reads (PIMCore is not a dependency here).
    struct Row: Sendable {
        var id: Int64
        var roleID: Int64
        var roleName: String
        var viaGroup: String?
        var start: Date
        var end: Date?
        var isActivation: Bool
        var justification: String?
        var createdBy: String
        var createdAt: Date
        var endedAt: Date?
    }

    /// `AssignmentRowsView`'s keys, computed the same way.
    final class RowsView: TemplateRows {
        let rows: [Row]
        let now: Date
        static let isoPattern = try! DatePattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
        init(_ rows: [Row], now: Date) { self.rows = rows; self.now = now }

        var count: Int { rows.count }

        func templateValue(at index: Int, forKey key: String) -> TemplateValue? {
            switch (key.utf8.count, key) {
            case (2, "id"): return .int(Int(rows[index].id))
            case (6, "roleID"): return .int(Int(rows[index].roleID))
            case (8, "roleName"): return .string(rows[index].roleName)
            case (3, "via"): return .string(rows[index].viaGroup.map { "Group: \($0)" } ?? "Direct")
            case (9, "permanent"): return .bool(rows[index].end == nil)
            case (8, "endsSoon"): return .bool(rows[index].end.map { $0.timeIntervalSince(now) <= 14 * 24 * 3600 } ?? false)
            case (5, "isOwn"): return .bool(rows[index].viaGroup == nil)
            case (12, "isActivation"): return .bool(rows[index].isActivation)
            case (11, "startsLater"): return .bool(rows[index].start > now)
            case (5, "start"): return .date(rows[index].start)
            case (3, "end"): return .optional(rows[index].end, TemplateValue.date)
            case (6, "endISO"): return .string(rows[index].end.map { Self.isoPattern.format($0, in: .gmt) } ?? "")
            case (13, "justification"): return .string(rows[index].justification ?? "")
            case (11, "endedReason"): return .string("Expired")
            default: return nil
            }
        }
    }

    /// The product's templates directory, relative to this file.
    static var productTemplates: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../../Sources/PIMWeb/App/Templates").standardizedFileURL
    }

    /// `rows` rows; `mixed` varies them (ends soon, groups, activations, scheduled) for output checks.
    /// (The Expired tab needs an end on every row: strict mode rejects `date` of null.)
    public init(rows count: Int = 25, mixed: Bool = false, permanent: Bool = true) throws {
        templates = try TemplateLibrary(directory: Self.productTemplates, options: .init(mode: .strict)).templates()
        let now = self.now
        rows = (1...count).map { n in
            let number = String(format: "%02d", n)
            let end: Date? = !mixed ? nil : [permanent ? nil : now - 86_400, now + 3 * 86_400, now + 90 * 86_400, now - 2 * 86_400][n % 4]
            return Row(
                id: Int64(100 + n), roleID: Int64(n), roleName: "Ops <\(number)> & \"blue\" pool's 'db'",
                viaGroup: mixed && n % 3 == 0 ? "ops <team>" : nil, start: mixed && n % 5 == 0 ? now + 3600 : now - 86_400,
                end: end, isActivation: mixed && n % 2 == 0, justification: "Benchmark <viewer> & \"rota\"",
                createdBy: "admin", createdAt: now - 86_400, endedAt: nil)
        }
        let item = { (label: String, path: String, current: Bool) -> TemplateValue in
            .object(LinkView(label: label, href: path, current: current, count: nil))
        }
        nav = .list([
            ["label": "Tasks", "items": .list([
                item("Home", "/", false), item("My roles", "/my-roles", true), item("My requests", "/my-requests", false),
                item("Approve requests", "/approvals", false), item("Security info", "/security-info", false),
            ])],
            ["label": "Activity", "items": .list([item("My audit", "/my-audit", false)])],
        ])
    }

    /// One GET /my-roles?tab=`tab`: page values, layout values (`PageValues`, PIMWeb's own file),
    /// render.
    public func render(tab: String = "eligible") throws -> [UInt8] {
        let count = rows.count
        let values: [String: TemplateValue] = [
            "tab": .string(tab),
            "tabs": Self.tabs(label: "Assignment type", base: "/my-roles", current: tab, items: [
                ("eligible", "Eligible", count), ("active", "Active", 0), ("expired", "Expired", 0),
            ]),
            "rows": .rows(RowsView(rows, now: now)),
        ]
        let root = PageValues(
            values: values,
            app: .object(AppValues(
                productName: "PIM", demo: false, cssPath: "/static/app.css?v=1", jsPath: "/static/app.js?v=1",
                timeZoneName: "Europe/Berlin")),
            user: .object(PairValues(("username", .string("benchviewer")), ("displayName", .string("benchviewer")))),
            csrf: .string("3q2-7w_9ZkVx1bQmT0aLrYcN8uPdHsEf"),
            nav: nav,
            page: .object(PairValues(("title", .string("My roles")), ("breadcrumbs", .list([
                ["label": .string("Home"), "href": .string("/")], ["label": .string("My roles"), "href": .null],
            ])))),
            flash: .list([]),
            tz: .string("Europe/Berlin"),
            now: .date(now))
        return try templates.renderBytes("pages/my-roles", .object(root), now: now)
    }

    /// `RowViews.tabs`.
    static func tabs(label: String, base: String, current: String, items: [(key: String, label: String, count: Int?)]) -> TemplateValue {
        [
            "label": .string(label),
            "items": .list(items.map { item in
                .object(LinkView(label: item.label, href: base + "?tab=" + item.key, current: item.key == current, count: item.count))
            }),
        ]
    }
}
