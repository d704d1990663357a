import PIMTemplates

// The same data as PIMTemplates view models: explicit key lookups, no reflection.

struct RolesPageView: TemplateRenderable {
    let page: RolesPage
    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "title": .string(page.title)
        case "user": .object(UserView(user: page.user))
        case "csrf": .string(page.csrf)
        case "rows": .list(page.rows.map { .object(RoleRowView(row: $0)) })
        case "count": .int(page.count)
        case "generatedAt": .string(page.generatedAt)
        default: nil
        }
    }
}

struct UserView: TemplateRenderable {
    let user: SessionUser
    func templateValue(forKey key: String) -> TemplateValue? {
        switch key {
        case "username": .string(user.username)
        case "displayName": .string(user.displayName)
        default: nil
        }
    }
}

struct RoleRowView: TemplateRenderable {
    let row: RoleRow
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
