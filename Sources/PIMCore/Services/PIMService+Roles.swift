import Algorithms
import Foundation
import GRDB

/// Create, rename, delete custom roles and update any role's settings (PIM Administrators).
extension PIMService {
    public func createRole(
        name: String, description: String = "", settings: RoleSettings = .defaults, by actor: ActorContext
    ) async throws -> Role {
        let name = String(name.trimming(while: \.isWhitespace))
        return try await transact(actor, attempt: Attempt(.roleCreated, note: "name \(name)")) { tx in
            try tx.requireAdministrator()
            guard !name.isEmpty else { throw PIMError.roleNameEmpty }
            try settings.check()
            if try Bool.fetchOne(tx.db, sql: "SELECT 1 FROM role WHERE name = ?", arguments: [name]) == true {
                throw PIMError.roleNameTaken(name)
            }
            try tx.db.execute(sql: "INSERT INTO role (name, description, created_at, updated_at) VALUES (?, ?, ?, ?)",
                              arguments: [name, description, tx.now.storedValue, tx.now.storedValue])
            let id = tx.db.lastInsertedRowID
            try tx.db.execute(sql: "INSERT INTO role_settings (role_id, settings, updated_at, updated_by) VALUES (?, ?, ?, ?)",
                              arguments: [id, try settings.jsonText(), tx.now.storedValue, actor.username])
            let role = try tx.role(id)
            try tx.audit(.roleCreated, role: role, details: description)
            return role
        }
    }

    public func updateRole(id: Int64, name: String, description: String, by actor: ActorContext) async throws -> Role {
        let name = String(name.trimming(while: \.isWhitespace))
        return try await transact(actor, attempt: Attempt(.roleUpdated, role: id)) { tx in
            try tx.requireAdministrator()
            let before = try tx.role(id)
            guard !name.isEmpty else { throw PIMError.roleNameEmpty }
            if before.builtIn != nil && name != before.name { throw PIMError.builtInRoleCannotChange(before.name) }
            if try Bool.fetchOne(tx.db, sql: "SELECT 1 FROM role WHERE name = ? AND id <> ?", arguments: [name, id]) == true {
                throw PIMError.roleNameTaken(name)
            }
            try tx.db.execute(sql: "UPDATE role SET name = ?, description = ?, updated_at = ? WHERE id = ?",
                              arguments: [name, description, tx.now.storedValue, id])
            let role = try tx.role(id)
            try tx.audit(.roleUpdated, role: role, details: before.name == name ? "description changed" : "renamed from \(before.name)")
            return role
        }
    }

    /// Deletes a custom role with no assignment that is still running or to come.
    public func deleteRole(id: Int64, by actor: ActorContext) async throws {
        try await transact(actor, attempt: Attempt(.roleDeleted, role: id)) { tx in
            try tx.requireAdministrator()
            let role = try tx.role(id)
            if role.builtIn != nil { throw PIMError.builtInRoleCannotChange(role.name) }
            let open = try Bool.fetchOne(tx.db, sql: """
                SELECT 1 FROM assignment WHERE role_id = ? AND ended_reason IS NULL AND (end_at IS NULL OR end_at > ?) LIMIT 1
                """, arguments: [id, tx.now.storedValue]) ?? false
            if open { throw PIMError.roleHasAssignments(role.name) }
            try tx.audit(.roleDeleted, role: role)
            try tx.db.execute(sql: "DELETE FROM role WHERE id = ?", arguments: [id])
        }
    }

    public func updateSettings(roleID: Int64, settings: RoleSettings, by actor: ActorContext) async throws -> Role {
        try await transact(actor, attempt: Attempt(.roleSettingsUpdated, role: roleID)) { tx in
            try tx.requireAdministrator()
            let before = try tx.role(roleID)
            try settings.check()
            try tx.db.execute(sql: "UPDATE role_settings SET settings = ?, updated_at = ?, updated_by = ? WHERE role_id = ?",
                              arguments: [try settings.jsonText(), tx.now.storedValue, actor.username, roleID])
            let role = try tx.role(roleID)
            try tx.audit(.roleSettingsUpdated, role: role, details: SettingsDiff.describe(before.settings, settings))
            return role
        }
    }

    /// Makes `admin` a permanent active PIM Administrator when PIM has none (first start).
    public func bootstrap(admin: String, by actor: ActorContext = .system) async throws -> Assignment {
        try await transact(actor, attempt: Attempt(.administratorBootstrapped, target: admin)) { tx in
            guard tx.directory.user(named: admin) != nil else { throw PIMError.unknownPrincipal(admin) }
            guard let role = try Tables.fetchBuiltIn(.pimAdministrator, tx.db) else { throw PIMError.roleNotFound }
            let existing = try Tables.activeAssignments(role: role.id, at: tx.now, tx.db)
            guard existing.isEmpty else { throw PIMError.alreadyBootstrapped }
            let assignment = try tx.insert(Assignment(
                roleID: role.id, principal: .user(admin), type: .active, start: tx.now, end: nil,
                justification: "Bootstrap of the first PIM Administrator", createdBy: actor.username, createdAt: tx.now))
            try tx.audit(.administratorBootstrapped, role: role, target: admin, assignment: assignment.id,
                         justification: assignment.justification, details: "permanent active")
            return assignment
        }
    }
}

/// A short, readable list of what changed in a role's settings, for the audit details.
enum SettingsDiff {
    static func describe(_ before: RoleSettings, _ after: RoleSettings) -> String {
        var changes: [String] = []
        if before.activation != after.activation { changes.append("activation") }
        if before.assignment != after.assignment { changes.append("assignment") }
        if before.notification != after.notification { changes.append("notification") }
        let text = (try? after.jsonText()) ?? ""
        return (changes.isEmpty ? "no change" : "changed: " + changes.joined(separator: ", ")) + "; now " + text
    }
}
