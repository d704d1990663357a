import Foundation
import GRDB
@testable import PIMAuth
import PIMCore
import Testing

/// RFC 6238 seed for SHA-1 ("12345678901234567890").
let rfcSeed = Base32.decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")!

/// Puts an active enrolment with `secret` in place for `user`, as a confirmed enrolment would.
func enrol(_ fixture: AuthFixture, user: String, secret: [UInt8] = rfcSeed) throws {
    let sealed = try SecretBox(keys: fixture.keys).seal(secret, user: user)
    try fixture.store.pool.write { db in
        try db.execute(sql: "INSERT INTO auth_totp (username, sealed_secret, enrolled_at) VALUES (?, ?, ?)",
                       arguments: [user, sealed, fixture.clock.now()])
    }
}

struct TOTPCodeTests {
    @Test func rfc6238VectorAtT59Is287082() throws {
        #expect(try OATH.generate(secret: rfcSeed, at: Date(timeIntervalSince1970: 59)) == "287082")
        let counter = try OATH.validate(secret: rfcSeed, code: TOTPCode("287082")!, now: Date(timeIntervalSince1970: 59))
        #expect(counter == 1)
    }

    @Test(arguments: ["123456", " 123 456 ", "123456 "])
    func sixAsciiDigitsWithSpacesAreAccepted(input: String) {
        #expect(TOTPCode(input)?.digits == "123456")
    }

    @Test(arguments: ["12345", "1234567", "12a456", "abcdef", "١٢٣٤٥٦", "１２３４５６", "123\u{0}456", "12345\u{0}",
                      "", "      ", "123-456", "+12345", "12345\n", String(repeating: " ", count: 40) + "123456"])
    func malformedCodesAreRejected(input: String) {
        #expect(TOTPCode(input) == nil)
    }
}

struct TOTPVerificationTests {
    @Test func windowAcceptsOneStepEitherSideButNotTwo() throws {
        let fixture = try AuthFixture(start: Date(timeIntervalSince1970: 59))
        // Codes for counters 0, 1, 2 are inside ±1 of counter 1; 3 is not.
        let previous = try OATH.generate(secret: rfcSeed, at: Date(timeIntervalSince1970: 0))
        let next = try OATH.generate(secret: rfcSeed, at: Date(timeIntervalSince1970: 60))
        let tooFar = try OATH.generate(secret: rfcSeed, at: Date(timeIntervalSince1970: 90))
        try enrol(fixture, user: "alice")
        #expect(try fixture.totp.verify(user: "alice", code: tooFar, sourceAddress: nil) == .wrongCode(remainingAttempts: 4))
        #expect(try fixture.totp.verify(user: "alice", code: previous, sourceAddress: nil).isAccepted)
        #expect(try fixture.totp.verify(user: "alice", code: next, sourceAddress: nil).isAccepted)
    }

    @Test func aCodeTwoStepsOldIsWrong() throws {
        let fixture = try AuthFixture(start: Date(timeIntervalSince1970: 120))
        try enrol(fixture, user: "alice")
        // Now is counter 4; counter 2 (T=60..89) is two steps back, counter 3 one step back.
        let twoBack = try OATH.generate(secret: rfcSeed, at: Date(timeIntervalSince1970: 60))
        let oneBack = try OATH.generate(secret: rfcSeed, at: Date(timeIntervalSince1970: 90))
        #expect(try fixture.totp.verify(user: "alice", code: twoBack, sourceAddress: nil) == .wrongCode(remainingAttempts: 4))
        #expect(try fixture.totp.verify(user: "alice", code: oneBack, sourceAddress: nil).isAccepted)
    }

    @Test func acceptedCodeIsRefusedTheSecondTimeAndAudited() throws {
        let fixture = try AuthFixture(start: Date(timeIntervalSince1970: 59))
        try enrol(fixture, user: "alice")
        #expect(try fixture.totp.verify(user: "alice", code: "287082", sourceAddress: "192.0.2.1") == .accepted(at: fixture.clock.now()))
        fixture.clock.advance(by: 5)
        let again = try fixture.totp.verify(user: "alice", code: "287082", sourceAddress: "192.0.2.1")
        #expect(again == .replayed)
        #expect(again.message(now: fixture.clock.now())?.contains("already used") == true)
        #expect(try fixture.auditTrail().map(\.action) == [AuthAuditAction.mfaVerified, AuthAuditAction.mfaReplay])
    }

    @Test func anOlderCodeThanTheLastAcceptedIsAReplay() throws {
        let fixture = try AuthFixture(start: Date(timeIntervalSince1970: 59))
        try enrol(fixture, user: "alice")
        let next = try OATH.generate(secret: rfcSeed, at: Date(timeIntervalSince1970: 60))
        #expect(try fixture.totp.verify(user: "alice", code: next, sourceAddress: nil).isAccepted)
        #expect(try fixture.totp.verify(user: "alice", code: "287082", sourceAddress: nil) == .replayed)
    }

    @Test func fiveWrongCodesLockForFifteenMinutesThenUnlock() throws {
        let fixture = try AuthFixture(start: Date(timeIntervalSince1970: 1_000_000))
        try enrol(fixture, user: "bob")
        for remaining in [4, 3, 2, 1] {
            #expect(try fixture.totp.verify(user: "bob", code: "000000", sourceAddress: nil) == .wrongCode(remainingAttempts: remaining))
        }
        let lockedUntil = fixture.clock.now().addingTimeInterval(15 * 60)
        let fifth = try fixture.totp.verify(user: "bob", code: "000000", sourceAddress: nil)
        #expect(fifth == .locked(until: lockedUntil))
        #expect(fifth.message(now: fixture.clock.now()) == "Too many wrong codes. Try again in 15 minutes.")
        // Even the right code is refused while locked.
        let right = try OATH.generate(secret: rfcSeed, at: fixture.clock.now())
        #expect(try fixture.totp.verify(user: "bob", code: right, sourceAddress: nil) == .locked(until: lockedUntil))
        fixture.clock.advance(by: 15 * 60 - 1)
        #expect(try fixture.totp.status(for: "bob").lockedUntil == lockedUntil)
        fixture.clock.advance(by: 1)
        let later = try OATH.generate(secret: rfcSeed, at: fixture.clock.now())
        #expect(try fixture.totp.verify(user: "bob", code: later, sourceAddress: nil).isAccepted)
        #expect(try fixture.auditTrail().map(\.action).contains(AuthAuditAction.mfaLocked))
    }

    @Test func malformedCodesDoNotCountAsAttempts() throws {
        let fixture = try AuthFixture()
        try enrol(fixture, user: "alice")
        for _ in 0..<10 { #expect(try fixture.totp.verify(user: "alice", code: "12a456", sourceAddress: nil) == .malformed) }
        #expect(try fixture.totp.verify(user: "alice", code: "000000", sourceAddress: nil) == .wrongCode(remainingAttempts: 4))
    }

    @Test func userWithoutEnrolmentIsTold() throws {
        let fixture = try AuthFixture()
        #expect(try fixture.totp.verify(user: "nobody", code: "123456", sourceAddress: nil) == .notEnrolled)
    }

    @Test func stepUpRotatesTheSessionAndRecordsProofTime() throws {
        let fixture = try AuthFixture(start: Date(timeIntervalSince1970: 59))
        try enrol(fixture, user: "alice")
        let id = try fixture.sessions.create(username: "alice", remoteAddress: nil)
        let session = try #require(try fixture.sessions.load(token: id.token).session)
        #expect(!session.hasFreshMFA(within: 300, now: fixture.clock.now()))
        let stepUp = MFAStepUp(totp: fixture.totp, sessions: fixture.sessions)
        guard case .proven(let newID, let at) = try stepUp.stepUp(session, code: "287082", sourceAddress: nil) else {
            Issue.record("step-up should succeed")
            return
        }
        #expect(try fixture.sessions.load(token: id.token) == .none)
        let rotated = try #require(try fixture.sessions.load(token: newID.token).session)
        #expect(rotated.mfaVerifiedAt == at)
        #expect(rotated.hasFreshMFA(within: 300, now: fixture.clock.now()))
        #expect(try stepUp.stepUp(rotated, code: "287082", sourceAddress: nil) == .refused(.replayed))
        fixture.clock.advance(by: 301)
        #expect(!rotated.hasFreshMFA(within: 300, now: fixture.clock.now()))
    }
}
