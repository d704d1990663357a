import PIMTemplates

// The same data as PIMTemplates view models: explicit key lookups, no reflection.

/// Built per request, like the peer's `RolesPageBox`: row views are made once, not per lookup.
final class RolesPageView: TemplateRenderable {
    let page: RolesPage
    let user: TemplateValue
    let rows: TemplateValue

    init(page: RolesPage) {
        self.page = page
        self.user = .object(UserView(user: page.user))
        self.rows = .list(page.rows.map { .object(RoleRowView(row: $0)) })
    }

    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(page.title)
        case "user": user
        case "csrf": .string(page.csrf)
        case "rows": rows
        case "count": .int(page.count)
        case "generatedAt": .string(page.generatedAt)
        default: nil
        }
    }
}

final class UserView: TemplateRenderable {
    let user: SessionUser
    init(user: SessionUser) { self.user = user }
    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "username": .string(user.username)
        case "displayName": .string(user.displayName)
        default: nil
        }
    }
}

final class RoleRowView: TemplateRenderable {
    let row: RoleRow
    init(row: RoleRow) { self.row = row }
    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "roleID": .int(Int(row.roleID))
        case "name": .string(row.name)
        case "description": .string(row.description)
        case "assignmentType": .string(row.assignmentType)
        case "startAt": .string(row.startAt)
        case "endAt": row.endAt.map(TemplateValue.string) ?? .null
        case "active": .bool(row.active)
        case "activationCount": .int(row.activationCount)
        default: nil
        }
    }
}
