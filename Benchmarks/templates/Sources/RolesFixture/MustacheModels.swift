import Mustache

// The peer's tuned variant (peer-hummingbird App.swift): the same data behind hand-written
// `MustacheParent` lookups instead of Mirror reflection.

struct RolesPageBox: MustacheParent {
    let page: RolesPage
    let user: UserBox
    let rows: [RoleRowBox]

    init(_ page: RolesPage) {
        self.page = page
        self.user = UserBox(user: page.user)
        self.rows = page.rows.map(RoleRowBox.init)
    }

    func child(named name: String) -> Any? {
        switch name {
        case "title": page.title
        case "user": user
        case "csrf": page.csrf
        case "rows": rows
        case "count": page.count
        case "generatedAt": page.generatedAt
        default: nil
        }
    }
}

struct UserBox: MustacheParent {
    let user: SessionUser
    func child(named name: String) -> Any? {
        switch name {
        case "username": user.username
        case "displayName": user.displayName
        default: nil
        }
    }
}

struct RoleRowBox: MustacheParent {
    let row: RoleRow
    func child(named name: String) -> Any? {
        switch name {
        case "roleID": row.roleID
        case "name": row.name
        case "description": row.description
        case "assignmentType": row.assignmentType
        case "startAt": row.startAt
        case "endAt": row.endAt as Any?
        case "active": row.active
        case "activationCount": row.activationCount
        default: nil
        }
    }
}
