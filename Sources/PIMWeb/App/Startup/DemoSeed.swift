import Foundation
import PIMCore

/// Example roles, eligibilities, an activation and a pending request for the demo accounts of
/// scripts/demo (admin, alice, bob, carol; groups dba and secops), so every page has something
/// to show. Runs through PIMCore's use cases (audited like any change) and only on a database
/// that has no custom role yet.
enum DemoSeed {
    static func seedIfEmpty(_ service: PIMService, queries: PIMQueries) async throws -> Bool {
        let existing = try await queries.roles(search: "", limit: 10)
        guard !existing.contains(where: { $0.builtIn == nil }) else { return false }
        if !(try await queries.builtInRoles(of: "admin")).contains(.pimAdministrator) {
            _ = try await service.bootstrap(admin: "admin")
        }
        let now = service.store.clock.now()
        let admin = ActorContext(username: "admin", sourceAddress: "127.0.0.1", mfaProvenAt: now)

        let global = try await service.createRole(
            name: "Global Administrator", description: "Full control of every server.",
            settings: settings { s in
                s.activation.maximumDurationMinutes = 60
                s.activation.requireApproval = true
                s.activation.approverGroups = ["secops"]
                s.notification.activation.admins.additionalRecipients = ["pim-alerts@example.org"]
            }, by: admin)
        let database = try await service.createRole(
            name: "Database Administrator", description: "DBA rights on the PostgreSQL clusters.",
            settings: settings { $0.activation.maximumDurationMinutes = 240 }, by: admin)
        let web = try await service.createRole(
            name: "Web Operator", description: "Restart and deploy the web-* hosts.",
            settings: settings { s in
                s.activation.maximumDurationMinutes = 120
                s.activation.requireMFA = false
            }, by: admin)
        let backup = try await service.createRole(
            name: "Backup Operator", description: "Restore from the backup vault.",
            settings: settings { s in
                s.activation.requireMFA = false
                s.activation.requireApproval = true
                s.activation.requireTicket = true
            }, by: admin)

        _ = try await service.assign(roleID: global.id, members: [.user("alice")], type: .eligible,
                                     justification: "On-call rota", by: admin)
        _ = try await service.assign(roleID: database.id, members: [.group("dba")], type: .eligible,
                                     justification: "DBA team", by: admin)
        _ = try await service.assign(roleID: web.id, members: [.user("alice"), .user("carol")], type: .eligible,
                                     end: now + 10 * 86400, justification: "Release weeks", by: admin)
        _ = try await service.assign(roleID: backup.id, members: [.user("bob")], type: .eligible,
                                     justification: "Restore drills", by: admin)
        if let reader = try await queries.roles(search: BuiltInRole.securityReader.name).first {
            _ = try await service.assign(roleID: reader.id, members: [.user("carol")], type: .active,
                                         end: now + 90 * 86400, justification: "Quarterly audit", by: admin)
        }
        // Carol is working on the web hosts now; Bob waits for a restore approval.
        _ = try await service.activate(
            roleIDs: [web.id], form: ActivationForm(durationMinutes: 90, justification: "Deploy 4.2 to web-3"),
            by: ActorContext(username: "carol", sourceAddress: "127.0.0.1"))
        _ = try await service.activate(
            roleIDs: [backup.id],
            form: ActivationForm(durationMinutes: 120, justification: "Restore the wiki database",
                                 ticketSystem: "Jira", ticketNumber: "OPS-1042"),
            by: ActorContext(username: "bob", sourceAddress: "127.0.0.1"))
        return true
    }

    private static func settings(_ change: (inout RoleSettings) -> Void) -> RoleSettings {
        var settings = RoleSettings.defaults
        change(&settings)
        return settings
    }
}
