import PIMTemplates

/// The left navigation: three groups, each item shown only when its page exists in the route
/// table and the user may open it. Access reviews and Alerts are not listed (a later issue).
enum Navigation {
    struct Item {
        let label: String
        let path: String
    }

    static let groups: [(label: String, items: [Item])] = [
        ("Tasks", [
            Item(label: "Home", path: "/"),
            Item(label: "My roles", path: "/my-roles"),
            Item(label: "My requests", path: "/my-requests"),
            Item(label: "Approve requests", path: "/approvals"),
            Item(label: "Security info", path: "/security-info"),
        ]),
        ("Manage", [
            Item(label: "Roles", path: "/roles"),
            Item(label: "Settings", path: "/settings"),
        ]),
        ("Activity", [
            Item(label: "Audit", path: "/audit"),
            Item(label: "My audit", path: "/my-audit"),
        ]),
    ]

    /// The groups for this user, as template values; `currentPath` marks the current item
    /// (the longest item path that prefixes it).
    static func value(for context: AppContext, table: RouteTable, currentPath: String) -> TemplateValue {
        guard context.isSignedIn else { return .list([]) }
        let visible = groups.map { group in
            (group.label, group.items.filter { item in
                guard let route = table.hasPage(item.path) else { return false }
                return route.access.allows(context.roles, signedIn: true)
            })
        }.filter { !$0.1.isEmpty }
        let current = visible.flatMap(\.1).map(\.path)
            .filter { $0 == currentPath || ($0 != "/" && currentPath.hasPrefix($0 + "/")) }
            .max { $0.count < $1.count }
        return .list(visible.map { label, items in
            ["label": .string(label), "items": .list(items.map { item in
                let isCurrent = item.path == current
                return ["label": .string(item.label), "href": .string(item.path), "current": .bool(isCurrent),
                        "ariaCurrent": .string(isCurrent ? "page" : "false"), "count": .null]
            })]
        })
    }
}
