import Foundation
import GRDB
@testable import PIMAuth
import PIMCore
import Testing

struct TOTPEnrolmentTests {
    /// The secret behind an enrolment, read back from the grouped text the page shows.
    func secret(of enrolment: TOTPEnrolment) throws -> [UInt8] {
        try #require(Base32.decode(enrolment.secretGroups))
    }

    @Test func enrolmentIsActiveOnlyAfterACorrectCode() throws {
        let fixture = try AuthFixture()
        let enrolment = try fixture.totp.beginEnrolment(user: "carol", freshProofAt: nil)
        let secret = try secret(of: enrolment)
        #expect(secret.count == 20)
        #expect(try fixture.totp.status(for: "carol") == TOTPStatus(enrolled: false, enrolledAt: nil, pendingEnrolment: true, lockedUntil: nil))
        #expect(try fixture.totp.verify(user: "carol", code: "123456", sourceAddress: nil) == .notEnrolled)
        #expect(try fixture.totp.confirmEnrolment(user: "carol", code: "000000", sourceAddress: nil) == .wrongCode(remainingAttempts: 4))
        let code = try OATH.generate(secret: secret, at: fixture.clock.now())
        #expect(try fixture.totp.confirmEnrolment(user: "carol", code: code, sourceAddress: nil).isAccepted)
        #expect(try fixture.totp.status(for: "carol").enrolled)
        #expect(try fixture.profile("carol")?.mfaEnrolled == true)
        // The enrolment code itself cannot be replayed for a step-up.
        #expect(try fixture.totp.verify(user: "carol", code: code, sourceAddress: nil) == .replayed)
        #expect(try fixture.auditTrail().map(\.action).contains(AuthAuditAction.mfaEnrolled))
    }

    @Test func confirmingInASessionRecordsTheProofAndRotates() throws {
        let fixture = try AuthFixture()
        let id = try fixture.sessions.create(username: "carol", remoteAddress: nil)
        let session = try #require(try fixture.sessions.load(token: id.token).session)
        let secret = try secret(of: try fixture.totp.beginEnrolment(user: "carol", freshProofAt: nil))
        let stepUp = MFAStepUp(totp: fixture.totp, sessions: fixture.sessions)
        #expect(try stepUp.confirmEnrolment(session, code: "000000", sourceAddress: nil) == .refused(.wrongCode(remainingAttempts: 4)))
        let code = try OATH.generate(secret: secret, at: fixture.clock.now())
        guard case .proven(let newID, let at) = try stepUp.confirmEnrolment(session, code: code, sourceAddress: nil) else {
            Issue.record("confirmation should succeed")
            return
        }
        #expect(try fixture.sessions.load(token: id.token) == .none)
        #expect(try fixture.sessions.load(token: newID.token).session?.mfaVerifiedAt == at)
    }

    @Test func unconfirmedEnrolmentExpires() throws {
        let fixture = try AuthFixture()
        let secret = try secret(of: try fixture.totp.beginEnrolment(user: "carol", freshProofAt: nil))
        fixture.clock.advance(by: 30 * 60)
        let code = try OATH.generate(secret: secret, at: fixture.clock.now())
        #expect(try fixture.totp.confirmEnrolment(user: "carol", code: code, sourceAddress: nil) == .notEnrolled)
    }

    @Test func reEnrolmentNeedsAFreshProof() throws {
        let fixture = try AuthFixture()
        try enrol(fixture, user: "alice")
        #expect(throws: TOTPError.freshProofRequired) { try fixture.totp.beginEnrolment(user: "alice", freshProofAt: nil) }
        let stale = fixture.clock.now().addingTimeInterval(-301)
        #expect(throws: TOTPError.freshProofRequired) { try fixture.totp.beginEnrolment(user: "alice", freshProofAt: stale) }
        let fresh = fixture.clock.now().addingTimeInterval(-60)
        let enrolment = try fixture.totp.beginEnrolment(user: "alice", freshProofAt: fresh)
        // The old secret keeps working until the new one is confirmed.
        #expect(try fixture.totp.status(for: "alice").enrolled)
        let code = try OATH.generate(secret: try secret(of: enrolment), at: fixture.clock.now())
        #expect(try fixture.totp.confirmEnrolment(user: "alice", code: code, sourceAddress: nil).isAccepted)
    }

    @Test func removalNeedsAValidCode() throws {
        let fixture = try AuthFixture(start: Date(timeIntervalSince1970: 59))
        try enrol(fixture, user: "alice")
        #expect(try fixture.totp.remove(user: "alice", code: "000000", sourceAddress: nil) == .wrongCode(remainingAttempts: 4))
        #expect(try fixture.totp.status(for: "alice").enrolled)
        #expect(try fixture.totp.remove(user: "alice", code: "287082", sourceAddress: nil).isAccepted)
        #expect(try !fixture.totp.status(for: "alice").enrolled)
        #expect(try fixture.auditTrail().map(\.action).last == AuthAuditAction.mfaRemoved)
    }

    @Test func adminResetClearsEnrolmentEndsSessionsAndIsAudited() throws {
        let fixture = try AuthFixture()
        try enrol(fixture, user: "bob")
        let first = try fixture.sessions.create(username: "bob", remoteAddress: nil)
        let second = try fixture.sessions.create(username: "bob", remoteAddress: nil)
        let other = try fixture.sessions.create(username: "alice", remoteAddress: nil)
        try fixture.totp.adminReset(user: "bob", by: "admin", justification: "lost phone", sourceAddress: "192.0.2.7")
        #expect(try !fixture.totp.status(for: "bob").enrolled)
        #expect(try fixture.sessions.load(token: first.token) == .none)
        #expect(try fixture.sessions.load(token: second.token) == .none)
        #expect(try fixture.sessions.load(token: other.token).session != nil)
        let event = try #require(try fixture.auditTrail().last)
        #expect(event.action == AuthAuditAction.mfaReset && event.actor == "admin" && event.details == "sessions ended: 2")
    }

    @Test func otpauthURIFollowsKeyUriFormat() {
        let uri = OTPAuthURI.make(issuer: "PIM", account: "alice", secret: rfcSeed)
        #expect(uri == "otpauth://totp/PIM:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=PIM&algorithm=SHA1&digits=6&period=30")
        let odd = OTPAuthURI.make(issuer: "ACME PIM", account: "a:b&c@x", secret: rfcSeed)
        #expect(odd.hasPrefix("otpauth://totp/ACME%20PIM:a%3Ab%26c%40x?secret="))
        #expect(odd.contains("&issuer=ACME%20PIM&"))
    }

    @Test func secretIsShownInGroupsOfFour() {
        #expect(Base32.grouped(Base32.encode(rfcSeed)) == "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ")
        #expect(Base32.decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq") == rfcSeed)
        #expect(Base32.decode("GEZD!") == nil)
    }

    @Test func qrCodeIsOneCrispPathWithQuietZone() throws {
        let svg = try QRCodeSVG.render("otpauth://totp/PIM:alice?secret=GEZDGNBVGY3TQOJQ")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.components(separatedBy: "<path").count == 2)
        // Version 3 or more: width ≥ 29 modules + 2 × 4 quiet zone. The finder pattern's first
        // row (7 dark modules) starts at the quiet zone.
        #expect(svg.contains("d=\"M4 4h7v1h-7z"))
        #expect(!svg.contains("<script"))
    }

    @Test func databaseCopyAloneRevealsNoSeed() throws {
        let fixture = try AuthFixture()
        let enrolment = try fixture.totp.beginEnrolment(user: "carol", freshProofAt: nil)
        let secret = try secret(of: enrolment)
        let code = try OATH.generate(secret: secret, at: fixture.clock.now())
        #expect(try fixture.totp.confirmEnrolment(user: "carol", code: code, sourceAddress: nil).isAccepted)
        _ = try fixture.store.pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path)
        let bytes = try files.flatMap { Array(try Data(contentsOf: fixture.directory.appendingPathComponent($0))) }
        let hex = secret.map { String(format: "%02x", $0) }.joined()
        #expect(Data(bytes).range(of: Data(secret)) == nil)
        #expect(!String(decoding: bytes, as: UTF8.self).contains(Base32.encode(secret)))
        #expect(!String(decoding: bytes, as: UTF8.self).contains(hex))
        // Another key (a different key file) cannot open it.
        let sealed = try #require(try fixture.store.pool.read {
            try Data.fetchOne($0, sql: "SELECT sealed_secret FROM auth_totp WHERE username = 'carol'")
        })
        #expect(throws: (any Error).self) { try SecretBox(keys: .forTesting(master: Array(repeating: 9, count: 32))).open(sealed, user: "carol") }
        // Nor can the row be moved to another user.
        #expect(throws: (any Error).self) { try SecretBox(keys: fixture.keys).open(sealed, user: "alice") }
        #expect(try SecretBox(keys: fixture.keys).open(sealed, user: "carol") == secret)
    }

    @Test func keyFileIsCreatedWithMode0600AndReused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pim-key-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try AuthKeys.loadOrCreate(path: path)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_size == 32)
        let second = try AuthKeys.loadOrCreate(path: path)
        let sealed = try SecretBox(keys: first).seal([1, 2, 3], user: "u")
        #expect(try SecretBox(keys: second).open(sealed, user: "u") == [1, 2, 3])
        chmod(path, 0o644)
        #expect(throws: KeyFileError.self) { try AuthKeys.loadOrCreate(path: path) }
    }
}
