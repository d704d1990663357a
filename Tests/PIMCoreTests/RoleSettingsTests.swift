import Foundation
import Testing
@testable import PIMCore

struct RoleSettingsTests {
    @Test func defaultsAreThoseOfTheSpecification() {
        let s = RoleSettings.defaults
        #expect(s.activation.maximumDurationMinutes == 480)
        #expect(s.activation.requireMFA)
        #expect(s.activation.mfaFreshness == .everyActivation)
        #expect(s.activation.requireJustification)
        #expect(!s.activation.requireTicket)
        #expect(!s.activation.requireApproval)
        #expect(s.activation.approvalsRequired == 1)
        #expect(s.activation.requireApproverJustification)
        #expect(s.activation.approvalTimeoutHours == 24)
        #expect(!s.activation.requireApproverMFA)
        #expect(s.assignment.eligibleExpiry == nil)
        #expect(s.assignment.activeExpiry == .months6)
        #expect(s.assignment.requireJustificationOnActive)
        for section in NotificationSectionKind.allCases {
            #expect(s.notification[section] == NotificationSection())
        }
        #expect(throws: Never.self) { try s.validate() }
    }

    func refusal(_ change: (inout RoleSettings) -> Void) -> RoleSettingsError? {
        var s = RoleSettings()
        change(&s)
        do { try s.validate(); return nil } catch { return error }
    }

    @Test func maximumDurationIsThirtyMinutesToADayInHalfHours() {
        #expect(refusal { $0.activation.maximumDurationMinutes = 30 } == nil)
        #expect(refusal { $0.activation.maximumDurationMinutes = 1440 } == nil)
        #expect(refusal { $0.activation.maximumDurationMinutes = 0 } == .maximumDurationOutOfRange)
        #expect(refusal { $0.activation.maximumDurationMinutes = 1470 } == .maximumDurationOutOfRange)
        #expect(refusal { $0.activation.maximumDurationMinutes = 45 } == .maximumDurationOutOfRange)
        #expect(RoleSettingsError.maximumDurationOutOfRange.message
                == "Activation maximum duration must be between 30 minutes and 24 hours, in 30-minute steps.")
    }

    @Test func otherRangesAreEnforcedAtTheirBoundaries() {
        #expect(refusal { $0.activation.mfaFreshness = .withinMinutes(1) } == nil)
        #expect(refusal { $0.activation.mfaFreshness = .withinMinutes(60) } == nil)
        #expect(refusal { $0.activation.mfaFreshness = .withinMinutes(0) } == .mfaFreshnessOutOfRange)
        #expect(refusal { $0.activation.mfaFreshness = .withinMinutes(61) } == .mfaFreshnessOutOfRange)
        #expect(refusal { $0.activation.approvalsRequired = 3 } == nil)
        #expect(refusal { $0.activation.approvalsRequired = 0 } == .approvalsRequiredOutOfRange)
        #expect(refusal { $0.activation.approvalsRequired = 4 } == .approvalsRequiredOutOfRange)
        #expect(refusal { $0.activation.approvalTimeoutHours = 1 } == nil)
        #expect(refusal { $0.activation.approvalTimeoutHours = 72 } == nil)
        #expect(refusal { $0.activation.approvalTimeoutHours = 0 } == .approvalTimeoutOutOfRange)
        #expect(refusal { $0.activation.approvalTimeoutHours = 73 } == .approvalTimeoutOutOfRange)
        #expect(refusal { $0.activation.justificationPattern = "INC-[0-9]+" } == nil)
        #expect(refusal { $0.activation.justificationPattern = "INC-[0-9" } == .invalidJustificationPattern)
    }

    @Test func twoApprovalsNeedTwoApproverUsersOrAGroup() {
        let two: (inout RoleSettings) -> Void = {
            $0.activation.requireApproval = true
            $0.activation.approvalsRequired = 2
            $0.activation.approverUsers = ["carol"]
        }
        #expect(refusal(two) == .tooFewApprovers(required: 2))
        #expect(refusal { two(&$0); $0.activation.approverGroups = ["approvers"] } == nil)
        #expect(refusal { two(&$0); $0.activation.approverUsers = [] } == nil, "PIM Administrators approve")
    }

    @Test func additionalRecipientsMustBeAddresses() {
        #expect(refusal { $0.notification.activation.admins.additionalRecipients = ["dba-team@example.org"] } == nil)
        #expect(refusal { $0.notification.activation.admins.additionalRecipients = ["not an address"] }
                == .invalidEmailAddress("not an address"))
        #expect(refusal { $0.notification.eligibleAssigned.assignee.additionalRecipients = ["a@b.c\r\nBcc: x@y.z"] }
                == .invalidEmailAddress("a@b.c\r\nBcc: x@y.z"))
        #expect(NotificationRow.parseRecipients("a@x.org; b@x.org ,c@x.org,,") == ["a@x.org", "b@x.org", "c@x.org"])
        #expect(NotificationRow.parseRecipients("\ta@x.org\n;\u{00A0}b@x.org\r\n; \t ;") == ["a@x.org", "b@x.org"])
    }

    @Test func settingsRoundTripThroughStorage() throws {
        var s = RoleSettings()
        s.activation.mfaFreshness = .withinMinutes(15)
        s.activation.approverGroups = ["approvers"]
        s.notification.activation.approvers.criticalEmailsOnly = true
        #expect(try RoleSettings.fromJSON(try s.jsonText()) == s)
    }

    /// Decoded settings are kept by their text: texts of the same length that differ in one
    /// place (one maximum duration for another) each decode to their own settings, in any order.
    @Test func eachStoredTextDecodesToItsOwnSettings() throws {
        var sixty = RoleSettings(), ninety = RoleSettings()
        sixty.activation.maximumDurationMinutes = 60
        ninety.activation.maximumDurationMinutes = 90
        let texts = [try sixty.jsonText(), try ninety.jsonText()]
        #expect(texts[0].utf8.count == texts[1].utf8.count && texts[0] != texts[1])
        for text in texts + texts.reversed() + texts {
            let expected = text == texts[0] ? sixty : ninety
            #expect(try RoleSettings.fromJSON(text) == expected)
        }
        #expect(throws: (any Error).self) { try RoleSettings.fromJSON("{\"activation\": 3}") }
    }
}
