import Foundation
import GRDB
import Testing
@testable import PIMCore

/// The fast paths of the store (index decoding, hand-made date and JSON text, the settings
/// cache) give exactly what the slow ones gave.
struct StoreEncodingTests {
    /// Times around the edges of rounding to the millisecond and of days, plus many random ones.
    static let instants: [Date] = {
        var seconds: [Double] = [
            0, -0.5, -0.0004, -0.0005, -0.0006, -1, 0.999, 0.9995, 0.99949999, 0.9999999, 1.0000001,
            1_764_000_000.9996, 1_764_000_000.9995, 1_764_000_000.0005, 1_764_000_000.5, 951_782_400,
            978_307_199.9995, 978_307_200, 4_102_444_800.123456, -1e9 - 0.25, -12_212_553_600, 253_402_300_799.999,
            -62_135_596_800, 253_402_300_800.5,  // outside 1583...9999: the formatter's own answer
        ]
        var generator = SeededGenerator(seed: 6)
        for _ in 0..<20_000 {
            seconds.append(Double.random(in: -1e10...8e9, using: &generator))
            seconds.append(1_800_000_000 + Double(Int.random(in: 0..<100_000_000, using: &generator))
                           + Double(Int.random(in: 0..<1_000_000, using: &generator)) / 1_000_000)
        }
        return seconds.map(Date.init(timeIntervalSince1970:))
    }()

    @Test func iso8601TextIsTheFormattersText() {
        let formatter = ISO8601DateFormatter()
        for date in Self.instants {
            #expect(UTCText.iso8601(date) == formatter.string(from: date), "\(date.timeIntervalSince1970)")
        }
    }

    @Test func storedTextIsGRDBsText() {
        for date in Self.instants {
            #expect(UTCText.stored(date) == String.fromDatabaseValue(date.databaseValue), "\(date.timeIntervalSince1970)")
            #expect(date.storedValue == date.databaseValue)
        }
    }

    @Test func decoderColumnListsFollowTheTables() async throws {
        let f = try await Fixture.make()
        let (assignment, request) = try await f.store.pool.read { db in
            (try db.columns(in: "assignment").map(\.name), try db.columns(in: "request").map(\.name))
        }
        #expect(assignment == Tables.assignmentColumnNames)
        #expect(request == Tables.requestColumnNames)
    }

    /// Every column, null and not, decoded by index equals the former decoding by name.
    @Test func indexDecodedRowsEqualNameDecodedRows() async throws {
        let f = try await Fixture.make()
        let role = try await f.role { $0.activation.requireApproval = true }
        let plain = try await f.role("Plain")
        try await f.eligible(.user("alice"), role, end: f.clock.now() + 86_400)
        try await f.eligible(.group("ops"), plain)
        _ = try await f.service.activate(roleIDs: [role.id], form: ActivationForm(
            durationMinutes: 60, justification: "INC-1", ticketSystem: "JIRA", ticketNumber: "OPS-7"), by: f.user("alice"))
        let activated = try await f.service.activate(roleIDs: [plain.id], form: Fixture.form, by: f.user("alice"))
        guard case .activated(let activation)? = activated.first else { Issue.record("not activated"); return }
        try await f.service.revoke(assignmentID: activation.id, justification: "done", by: f.admin)
        try await f.store.pool.write { db in
            try UserProfiles.upsertOnSignIn(username: "alice", displayName: "Alice", email: nil, mfaEnrolled: true,
                                            at: f.clock.now(), in: db)
        }

        try await f.store.pool.read { db in
            let byName = try Row.fetchAll(db, sql: "SELECT * FROM assignment ORDER BY id").map(Self.assignmentByName)
            #expect(byName.count >= 4)
            #expect(byName.contains { $0.endedReason != nil && $0.endedAt != nil && $0.endedBy != nil && $0.requestID != nil })
            let byIndex = try Tables.all(db, "SELECT \(Tables.assignmentColumns) FROM assignment ORDER BY id", [], Tables.assignment)
            #expect(byIndex == byName)
            // What PIMQueries selects: the assignment's columns, then the role's name.
            let rows = try Tables.all(db, """
                SELECT \(Tables.assignmentColumnsOfA), r.name AS role_name FROM assignment a JOIN role r ON r.id = a.role_id
                ORDER BY a.id
                """, [], PIMQueries.assignmentRow)
            #expect(rows.map(\.assignment) == byName)
            #expect(rows.map(\.roleName) == (try String.fetchAll(db, sql: """
                SELECT r.name FROM assignment a JOIN role r ON r.id = a.role_id ORDER BY a.id
                """)))

            let requests = try Row.fetchAll(db, sql: "SELECT * FROM request ORDER BY id").map(Self.requestByName)
            #expect(requests.contains { $0.ticketSystem != nil && $0.timeoutAt != nil } && requests.contains { $0.closedAt != nil })
            #expect(try Tables.all(db, "SELECT \(Tables.requestColumns) FROM request ORDER BY id", [], Tables.request) == requests)

            let roles = try Row.fetchAll(db, sql: """
                SELECT role.*, role_settings.settings FROM role JOIN role_settings ON role_settings.role_id = role.id ORDER BY role.id
                """).map(Self.roleByName)
            #expect(try roles.map { try Tables.fetchRole($0.id, db) } == roles)
            #expect(roles.contains { $0.builtIn == .pimAdministrator } && roles.contains { $0.builtIn == nil })

            let profile = try #require(try UserProfiles.fetch("alice", in: db))
            let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM user_profile WHERE username = 'alice'"))
            #expect(profile == UserProfile(
                username: row["username"], displayName: row["display_name"], email: row["email"],
                mfaEnrolled: row["mfa_enrolled"], lastSignInAt: row["last_sign_in_at"], createdAt: row["created_at"]))
        }
    }

    @Test func editedSettingsAreReadBackNotTheCachedOnes() async throws {
        let f = try await Fixture.make()
        let role = try await f.role()
        let other = try await f.role("Other")
        #expect(try await f.queries.role(id: role.id)?.settings == RoleSettings())
        var settings = RoleSettings()
        settings.activation.maximumDurationMinutes = 90
        settings.notification.activation.admins.additionalRecipients = ["ops@example.org"]
        _ = try await f.service.updateSettings(roleID: role.id, settings: settings, by: f.admin)
        #expect(try await f.queries.role(id: role.id)?.settings == settings)
        #expect(try await f.queries.role(id: other.id)?.settings == RoleSettings())
        _ = try await f.service.updateSettings(roleID: role.id, settings: RoleSettings(), by: f.admin)
        #expect(try await f.queries.role(id: role.id)?.settings == RoleSettings())
    }

    @Test func outboxPayloadIsJSONOfTheSameStrings() throws {
        var generator = SeededGenerator(seed: 9)
        let alphabet = Array("aZ09 /\\\"'<&>\n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F}é€😀-_.:")
        let keys = ["roleName", "roleID", "requestID", "requester", "requesterName", "requestedStart", "requestKind",
                    "link", "windowStart", "windowEnd", "assignee", "justification", "ticketNumber", "duration"]
        for _ in 0..<2000 {
            var payload: [String: String] = [:]
            for key in keys.shuffled(using: &generator).prefix(Int.random(in: 0...keys.count, using: &generator)) {
                payload[key] = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in
                    alphabet.randomElement(using: &generator)!
                })
            }
            let text = Outbox.encode(payload)
            #expect(try JSONDecoder().decode([String: String].self, from: Data(text.utf8)) == payload, "\(text)")
            #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
        }
        // The encoder's own text when keys sort alike either way.
        let sample = ["link": "/requests/7", "roleName": "Ops \"blue\" <db>", "actor": "ada", "duration": "1 h\n"]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(Outbox.encode(sample) == String(decoding: try encoder.encode(sample), as: UTF8.self))
    }

    // The decoders by name that index decoding replaced.

    static func assignmentByName(_ row: Row) -> Assignment {
        Assignment(
            id: row["id"], roleID: row["role_id"],
            principal: PrincipalRef(kind: PrincipalRef.Kind(rawValue: row["principal_kind"]) ?? .user, name: row["principal_name"]),
            type: AssignmentType(rawValue: row["type"]) ?? .eligible,
            start: row["start_at"], end: row["end_at"], isActivation: row["is_activation"],
            eligibilityID: row["eligibility_id"], requestID: row["request_id"],
            justification: row["justification"], createdBy: row["created_by"], createdAt: row["created_at"],
            endedReason: (row["ended_reason"] as String?).flatMap(EndReason.init(rawValue:)),
            endedAt: row["ended_at"], endedBy: row["ended_by"], reminderLevel: row["reminder_level"])
    }

    static func requestByName(_ row: Row) -> AccessRequest {
        AccessRequest(
            id: row["id"], kind: RequestKind(rawValue: row["kind"]) ?? .adminAssign,
            status: RequestStatus(rawValue: row["status"]) ?? .failed, roleID: row["role_id"],
            principal: PrincipalRef(kind: PrincipalRef.Kind(rawValue: row["principal_kind"]) ?? .user, name: row["principal_name"]),
            requester: row["requester"], assignmentType: (row["assignment_type"] as String?).flatMap(AssignmentType.init(rawValue:)),
            justification: row["justification"], ticketSystem: row["ticket_system"], ticketNumber: row["ticket_number"],
            requestedStart: row["requested_start"], requestedEnd: row["requested_end"],
            durationSeconds: row["duration_seconds"], targetAssignmentID: row["target_assignment_id"],
            resultAssignmentID: row["result_assignment_id"], approvalsRequired: row["approvals_required"],
            timeoutAt: row["timeout_at"], mfaProven: row["mfa_proven"], createdAt: row["created_at"],
            updatedAt: row["updated_at"], closedAt: row["closed_at"])
    }

    static func roleByName(_ row: Row) throws -> Role {
        Role(
            id: row["id"], name: row["name"], description: row["description"],
            builtIn: (row["builtin"] as String?).flatMap(BuiltInRole.init(rawValue:)),
            settings: try JSONDecoder().decode(RoleSettings.self, from: Data((row["settings"] as String).utf8)),
            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}

extension StoreEncodingTests {
    @Test func storedTextIsReadBackAsGRDBReadsIt() {
        var texts = Self.instants.map(UTCText.stored)
        texts += ["2026-02-29 10:00:00.000", "2024-02-29 23:59:59.999", "2026-11-25 15:36:15", "2026-11-25T15:36:15.123",
                  "2026-13-01 00:00:00.000", "1582-12-31 23:59:59.999", "junk", "",
                  // Hostile text of the right length: signs, non-digits, multi-byte characters.
                  "-026-11-25 15:36:15.123", "2026-11-25 15:36:15.-12", "2026-11-25 15:36:1\u{e9}.12",
                  "2026-00-10 00:00:00.000", "2026-11-00 24:00:00.000", "2026-11-25 23:60:60.000"]
        for text in texts {
            let expected = Date.fromDatabaseValue(text.databaseValue)
            let fast = UTCText.storedDate(text)
            #expect(fast == nil || fast == expected, "\(text)")
            #expect(fast?.timeIntervalSinceReferenceDate.bitPattern == fast.flatMap { _ in expected?.timeIntervalSinceReferenceDate.bitPattern },
                    "\(text)")
        }
        #expect(Self.instants.filter { UTCText.storedDate(UTCText.stored($0)) == nil }.count < 10)
    }
}

extension StoreEncodingTests {
    /// My roles sorts in Swift exactly as `ORDER BY r.name, a.start_at` did in SQLite.
    @Test func myRolesOrderIsSQLitesOrder() async throws {
        let f = try await Fixture.make()
        let names = ["b", "B2", "a", "Äpfel", "éclair", "Zeta", "_under", "a b", "ab", "aB3", "[x]", "~tilde", "Ops <1>", "ops 1"]
        var generator = SeededGenerator(seed: 3)
        let now = f.clock.now()
        for name in names {
            let role = try await f.role(name)
            for member in [PrincipalRef.user("alice"), .group("ops"), .user("alice")].prefix(Int.random(in: 1...3, using: &generator)) {
                // Equal starts for some, so that ties show which order SQLite keeps.
                let start = now + Double(Int.random(in: 0...2, using: &generator)) * 60
                _ = try? await f.service.assign(roleID: role.id, members: [member], type: .eligible, start: start,
                                                justification: "x", by: f.admin)
            }
        }
        let mine = try await f.queries.myRoles(username: "alice")
        let (clause, arguments) = PIMQueries.principalClause(username: "alice", groups: ["ops"])
        let bySQLite = try await f.store.pool.read { db in
            try Tables.all(db, """
                SELECT \(Tables.assignmentColumnsOfA), r.name AS role_name FROM assignment a JOIN role r ON r.id = a.role_id
                WHERE \(clause) AND (a.end_at IS NULL OR a.end_at > ?)
                ORDER BY r.name, a.start_at
                """, arguments + [now.storedValue], PIMQueries.assignmentRow)
        }
        #expect(bySQLite.count > names.count)
        #expect(mine.eligible + mine.active == bySQLite.filter { $0.assignment.type == .eligible } + bySQLite.filter { $0.assignment.type == .active })
        // Shuffled input sorts the same way too.
        let reordered = PIMQueries.sortedByRoleNameAndStart(bySQLite.shuffled(using: &generator))
        #expect(reordered.map(\.roleName) == bySQLite.map(\.roleName))
        #expect(reordered.map(\.assignment.start) == bySQLite.map(\.assignment.start))
    }
}

extension StoreEncodingTests {
    /// Columns read in place from the statement give what GRDB's row gives, for every storage
    /// class a column may hold: the fast paths and the fall-back through GRDB's conversions.
    @Test func statementColumnsReadWhatRowsRead() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, s, i, b, d)")
            let values: [[(any DatabaseValueConvertible)?]] = [
                ["plain", 42, 1, "2026-11-25 15:36:15.123"],
                ["<&\"'> \u{e9}\u{1F600}\u{202E}", Int64.max, 0, "2024-02-29 23:59:59.999"],
                [nil, nil, 7, nil],
                // Other storage classes and date forms: GRDB's conversions decide.
                ["", Int64.min, 1.0, "2026-11-25T15:36:15.123"],
                ["x", 1.0, 0.0, "2026-11-25 15:36"],
                ["y", -3, 2, 1_764_000_000],
                ["z", 5, -1, 1_764_000_000.5],
            ]
            for (id, row) in values.enumerated() {
                try db.execute(sql: "INSERT INTO t (id, s, i, b, d) VALUES (?, ?, ?, ?, ?)",
                               arguments: StatementArguments([id] + row))
            }
            typealias Decoded = (String?, Int64?, Int?, Bool, Date?)
            func decode(_ c: some ColumnReader) -> Decoded {
                (c.optionalString(0), c.optionalInt64(1), c.optionalInt(1), c.bool(2), c.optionalDate(3))
            }
            let sql = "SELECT s, i, b, d FROM t ORDER BY id"
            let fast = try Tables.all(db, sql, [], decode)
            let rows = try Row.fetchAll(db, sql: sql).map(decode)
            #expect(fast.count == values.count)
            for (a, b) in zip(fast, rows) {
                #expect(a.0 == b.0 && a.1 == b.1 && a.2 == b.2 && a.3 == b.3 && a.4 == b.4, "\(a) \(b)")
            }
            #expect(fast[1].0 == "<&\"'> \u{e9}\u{1F600}\u{202E}" && fast[1].1 == Int64.max && fast[1].3 == false)
            #expect(fast[2].0 == nil && fast[2].1 == nil && fast[2].4 == nil)
            #expect(try Tables.one(db, sql, [], decode)?.0 == "plain")
            #expect(try Tables.one(db, sql + " LIMIT 0", [], decode) == nil)

            // Text is read to its length, NUL included (SQLite keeps it; a C string would end there),
            // and invalid UTF-8 is repaired rather than trusted.
            try db.execute(sql: "INSERT INTO t (id, s, b) VALUES (100, CAST(X'61006200FF62' AS TEXT), 0)")
            let text = try Tables.one(db, "SELECT s FROM t WHERE id = 100", []) { $0.string(0) }
            #expect(text == "a\u{0}b\u{0}\u{FFFD}b")
        }
    }
}
