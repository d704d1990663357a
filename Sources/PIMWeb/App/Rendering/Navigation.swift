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
        return table.navigation.value(roles: context.roles, currentPath: currentPath)
    }

    /// Every menu a route table can show, built once with the table: one per combination of the
    /// built-in roles, each with every possible current item. A page only picks one.
    struct Menus: Sendable {
        private struct Variant: Sendable {
            /// The visible items' paths, in menu order.
            let paths: [String]
            /// `values[i]`: the menu with item `i` current; the last one has none current.
            let values: [TemplateValue]
        }

        private let variants: [Variant]

        init(pageAccess: [String: Access]) {
            var variants: [Variant] = []
            for roles in Self.roleCombinations {
                let visible = groups.map { group in
                    (group.label, group.items.filter { item in
                        guard let access = pageAccess[item.path] else { return false }
                        return access.allows(roles, signedIn: true)
                    })
                }.filter { !$0.1.isEmpty }
                let paths = visible.flatMap(\.1).map(\.path)
                let values = (paths.map(Optional.some) + [nil]).map { current in
                    TemplateValue.list(visible.map { label, items in
                        ["label": .string(label), "items": .list(items.map { item in
                            .object(LinkView(label: item.label, href: item.path, current: item.path == current))
                        })]
                    })
                }
                variants.append(Variant(paths: paths, values: values))
            }
            self.variants = variants
        }

        private static let roleCombinations = [
            HeldRoles(isAdministrator: false, isSecurityReader: false),
            HeldRoles(isAdministrator: false, isSecurityReader: true),
            HeldRoles(isAdministrator: true, isSecurityReader: false),
            HeldRoles(isAdministrator: true, isSecurityReader: true),
        ]

        func value(roles: HeldRoles, currentPath: String) -> TemplateValue {
            let variant = variants[(roles.isAdministrator ? 2 : 0) + (roles.isSecurityReader ? 1 : 0)]
            var current = variant.paths.count
            var longest = -1
            for (index, path) in variant.paths.enumerated()
            where path.utf8.count > longest && (path == currentPath || (path != "/" && currentPath.hasPrefix(path + "/"))) {
                current = index
                longest = path.utf8.count
            }
            return variant.values[current]
        }
    }
}
