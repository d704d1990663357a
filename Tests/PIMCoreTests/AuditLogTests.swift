import Foundation
import GRDB
import Testing
@testable import PIMCore

struct AuditLogTests {
    func draft(_ n: Int, at time: Date) -> AuditEventDraft {
        AuditEventDraft(time: time, actor: "alice", action: "roleActivated", target: "alice", roleID: 7,
                        roleName: "DBA", requestID: Int64(n), justification: "why \(n)", result: .success,
                        sourceAddress: "192.0.2.1", details: "n=\(n)")
    }

    @Test func appendedEventsFormAChainThatVerifies() async throws {
        let f = try await Fixture.make(bootstrap: false)
        try await f.store.pool.write { db in
            for n in 1...20 { try AuditLog.append(draft(n, at: f.clock.now() + Double(n)), in: db) }
        }
        #expect(try f.verify() == .intact(events: 20))
        let first = try f.store.pool.read { try Row.fetchOne($0, sql: "SELECT prev_hash, hash FROM audit_event WHERE seq = 1")! }
        #expect(first["prev_hash"] as String == AuditLog.genesisHash)
        #expect((first["hash"] as String).count == 64)
    }

    /// A NUL typed into a field (a form sends it as %00) cannot make the chain look tampered
    /// with: SQLite's C-string text ends at a NUL, so the event is stored and hashed with each
    /// NUL replaced, and the stored event reads back as the one appended.
    @Test func aNulInAFieldKeepsTheChainIntact() async throws {
        let f = try await Fixture.make(bootstrap: false)
        var nul = draft(1, at: f.clock.now())
        nul.justification = "before\u{0}after"
        nul.details = "\u{0}"
        nul.target = "bob\u{0}"
        let draft = nul
        let appended = try await f.store.pool.write { db in try AuditLog.append(draft, in: db) }
        let next = self.draft(2, at: f.clock.now())
        try await f.store.pool.write { db in _ = try AuditLog.append(next, in: db) }
        #expect(try f.verify() == .intact(events: 2))
        #expect(appended.justification == "before\u{FFFD}after" && appended.details == "\u{FFFD}" && appended.target == "bob\u{FFFD}")
        let stored = try await f.store.pool.read { try Row.fetchOne($0, sql: "SELECT * FROM audit_event WHERE seq = 1").map(AuditLog.event(from:)) }
        #expect(stored == appended)
    }

    @Test func timesNeverDecreaseAlongTheChain() async throws {
        let f = try await Fixture.make(bootstrap: false)
        let t = f.clock.now()
        let events = try await f.store.pool.write { db in
            [try AuditLog.append(draft(1, at: t), in: db), try AuditLog.append(draft(2, at: t - 30), in: db),
             try AuditLog.append(draft(3, at: t + 5), in: db)]
        }
        #expect(events.map(\.time) == [t, t, t + 5], "a clock stepped back keeps the predecessor's time")
        #expect(try f.verify() == .intact(events: 3))
        #expect(try await f.queries.auditPage(filter: AuditFilter(since: t)).map(\.seq) == [3, 2, 1])
        #expect(try await f.queries.auditPage(filter: AuditFilter(since: t + 1)).map(\.seq) == [3])
        #expect(try await f.queries.auditPage(filter: AuditFilter(until: t + 1)).map(\.seq) == [2, 1])
    }

    @Test func editingAnEventWithRawSQLIsReportedAtThatEvent() async throws {
        let f = try await Fixture.make(bootstrap: false)
        try await f.store.pool.write { db in
            for n in 1...10 { try AuditLog.append(draft(n, at: f.clock.now()), in: db) }
        }
        try await f.store.pool.write { try $0.execute(sql: "UPDATE audit_event SET justification = 'nothing to see' WHERE seq = 6") }
        #expect(try f.verify() == .broken(.init(seq: 6, reason: .contentHashMismatch)))
    }

    @Test func rehashingAnEditedEventBreaksTheNextLink() async throws {
        let f = try await Fixture.make(bootstrap: false)
        try await f.store.pool.write { db in
            for n in 1...5 { try AuditLog.append(draft(n, at: f.clock.now()), in: db) }
        }
        try await f.store.pool.write { db in
            var event = AuditLog.event(from: try Row.fetchOne(db, sql: "SELECT * FROM audit_event WHERE seq = 3")!)
            event.actor = "mallory"
            let rehashed = AuditLog.hash(of: event, previousHash: event.previousHash)
            try db.execute(sql: "UPDATE audit_event SET actor = 'mallory', hash = ? WHERE seq = 3", arguments: [rehashed])
        }
        #expect(try f.verify() == .broken(.init(seq: 4, reason: .previousHashMismatch)))
    }

    @Test func deletingAnEventInTheMiddleIsReported() async throws {
        let f = try await Fixture.make(bootstrap: false)
        try await f.store.pool.write { db in
            for n in 1...5 { try AuditLog.append(draft(n, at: f.clock.now()), in: db) }
        }
        try await f.store.pool.write { try $0.execute(sql: "DELETE FROM audit_event WHERE seq = 2") }
        #expect(try f.verify() == .broken(.init(seq: 3, reason: .missingEvent)))
    }

    /// The expected value was computed independently (Python hashlib) from the documented
    /// encoding, so an outside auditor can recompute the chain.
    @Test func hashMatchesTheDocumentedEncoding() {
        let event = AuditEvent(seq: 1, timeText: "2027-01-15 08:00:00.000", time: .distantPast, actor: "alice",
                               action: "roleActivated", target: "alice", roleID: 7, roleName: "DBA", requestID: 3,
                               assignmentID: nil, justification: "INC-1 ünïcode", ticket: nil, result: "success",
                               sourceAddress: "192.0.2.1", details: "", previousHash: AuditLog.genesisHash, hash: "")
        #expect(AuditLog.hash(of: event, previousHash: AuditLog.genesisHash)
                == "0e959ee9eaef6b84d5c4b10ae2739a7d004a6e41a3cbc3e0a7f9a00aedb776bd")
    }

    @Test func canonicalEncodingSeparatesFieldsUnambiguously() {
        var a = AuditEvent(seq: 1, timeText: "t", time: .distantPast, actor: "ab", action: "c", target: nil, roleID: nil,
                           roleName: nil, requestID: nil, assignmentID: nil, justification: nil, ticket: nil,
                           result: "success", sourceAddress: nil, details: "", previousHash: "", hash: "")
        var b = a
        a.actor = "ab"; a.action = "c"
        b.actor = "a"; b.action = "bc"
        #expect(AuditLog.canonicalEncoding(of: a) != AuditLog.canonicalEncoding(of: b))
        var c = a
        c.target = ""
        #expect(AuditLog.canonicalEncoding(of: a) != AuditLog.canonicalEncoding(of: c), "nil and empty differ")
    }

    @Test func csvQuotesAndNeutralisesFormulaCells() {
        #expect(AuditCSV.cell("plain") == "plain")
        #expect(AuditCSV.cell("a,b") == "\"a,b\"")
        #expect(AuditCSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(AuditCSV.cell("=cmd()") == "'=cmd()")
        #expect(AuditCSV.cell("+1") == "'+1")
        #expect(AuditCSV.cell("-1") == "'-1")
        #expect(AuditCSV.cell("@x") == "'@x")
        #expect(AuditCSV.cell("line\r\nbreak") == "\"line\r\nbreak\"")
        #expect(AuditCSV.line(["a", "b"]) == "a,b\r\n")
    }
}
