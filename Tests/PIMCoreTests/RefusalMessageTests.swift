import Foundation
import Testing
@testable import PIMCore

/// Every refusal is a sentence a form can show: no type names, no raw values, no secrets.
struct RefusalMessageTests {
    static let all: [PIMError] = [
        .roleNotFound, .roleNameEmpty, .roleNameTaken("DBA"), .builtInRoleCannotChange("PIM Administrator"),
        .roleHasAssignments("DBA"), .invalidSettings(.maximumDurationOutOfRange), .notAuthorized, .unknownPrincipal("x"),
        .noMembers, .durationTooLong(maximumMinutes: 90), .durationTooShort, .startInPast, .endBeforeStart,
        .windowBeyondLimit(type: .active, limit: "6 months"), .permanentNotAllowed(.eligible), .notEligible(role: "DBA"),
        .startOutsideEligibility, .eligibilityEndsTooSoon, .overlappingAssignment(principal: "Group: ops"),
        .justificationRequired, .justificationPatternMismatch("Quote the ticket."), .ticketRequired, .mfaRequired,
        .pendingRequestExists(role: "DBA"), .requestNotFound, .requestNotPending(.timedOut), .selfApproval, .notAnApprover,
        .alreadyDecided, .approverJustificationRequired, .approverMFARequired, .notRequester, .assignmentNotFound,
        .notYourAssignment, .notAnActivation, .assignmentEnded, .assignmentNotExpired, .deactivationTooSoon,
        .extensionNotLonger, .lastAdministrator, .alreadyBootstrapped,
    ]

    @Test(arguments: all)
    func everyRefusalIsASentence(error: PIMError) {
        let text = error.message
        #expect(!text.isEmpty && text.first(where: \.isLetter)?.isUppercase == true)
        #expect(!text.contains("PIMError") && !text.contains("Optional(") && !text.contains("_"))
        #expect(error.description == text)
    }

    @Test func durationsReadNaturally() {
        #expect(PIMError.durationTooLong(maximumMinutes: 60).message == "Duration is longer than this role allows (max 1 h)")
        #expect(PIMError.durationTooLong(maximumMinutes: 90).message == "Duration is longer than this role allows (max 1 h 30 min)")
        #expect(PIMError.durationTooLong(maximumMinutes: 30).message == "Duration is longer than this role allows (max 30 min)")
        #expect(PIMError.overlappingAssignment(principal: "Group: ops").message
                == "Group: ops already has this kind of assignment for this role in that window.")
    }

    @Test func missingThingsAreReportedAsSuch() async throws {
        let f = try await Fixture.make()
        #expect(await refusal { _ = try await f.service.updateSettings(roleID: 999, settings: .defaults, by: f.admin) } == .roleNotFound)
        #expect(await refusal { try await f.service.cancel(requestID: 999, by: f.admin) } == .requestNotFound)
        #expect(await refusal { _ = try await f.service.approve(requestID: 999, justification: "x", by: f.admin) } == .requestNotFound)
        #expect(await refusal { try await f.service.revoke(assignmentID: 999, justification: nil, by: f.admin) } == .assignmentNotFound)
        let role = try await f.role()
        let eligibility = try await f.eligible(.user("alice"), role)
        #expect(await refusal { try await f.service.revoke(assignmentID: eligibility.id, justification: nil, by: f.admin) } == .notAnActivation)
        #expect(await refusal { try await f.service.deactivate(assignmentID: eligibility.id, by: f.user("alice")) } == .notAnActivation)
    }
}
