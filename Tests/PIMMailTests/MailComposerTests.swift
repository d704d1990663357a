import Foundation
import PIMCore
@testable import PIMMail
import Testing

struct MailComposerTests {
    static let composer: MailComposer = {
        try! MailComposer(configuration: MailFixture.configuration(port: 25))
    }()

    static func row(kind: OutboxKind = .approveActivationRequest, payload: [String: String] = MailFixture.payload,
                    recipient: String = "bob@example.org", name: String? = "Bob Builder") -> OutboxRow {
        let json = String(decoding: try! JSONEncoder().encode(payload), as: UTF8.self)
        return OutboxRow(id: 1, createdAt: Date(timeIntervalSince1970: 1_800_000_000), kind: kind.rawValue, recipient: recipient,
                         recipientName: name, critical: kind.isCritical, payload: json, messageID: "<ABC-1@pim>", status: .queued,
                         attempts: 0, nextAttemptAt: Date(timeIntervalSince1970: 1_800_000_000), leaseUntil: nil, lastError: nil, sentAt: nil)
    }

    @Test func approvalRequestShowsTheFactsAndAnAbsoluteLinkToTheApprovalPage() throws {
        let message = try Self.composer.compose(Self.row())
        #expect(message.subject == "PIM: Request to approve an activation of Database Administrator by Ada Lovelace")
        #expect(message.messageID == "<ABC-1@pim>")
        for part in [message.text, message.html] {
            #expect(part.contains("Database Administrator"))
            #expect(part.contains("Ada Lovelace"))
            #expect(part.contains("OPS-42") && part.contains("Jira"))
            #expect(part.contains("15 Jan 2027 08:00 – 16:00 (UTC)"))
            #expect(part.contains("https://pim.example.org/approvals/17"))
            #expect(part.contains("Approve or deny the request"))
            #expect(part.contains("Bob Builder"))
        }
        #expect(message.text.contains("Justification: Patch <b>CVE</b> & restart"))
        #expect(message.html.contains("Patch &lt;b&gt;CVE&lt;/b&gt; &amp; restart"))
        #expect(message.html.contains(#"<a href="https://pim.example.org/approvals/17""#))
    }

    @Test func everyKindRendersWithSubjectPrefixAndLink() throws {
        for kind in OutboxKind.allCases {
            let message = try Self.composer.compose(Self.row(kind: kind, payload: MailFixture.payload.merging(["inDays": "14", "assignee": "carol", "decision": "approved"]) { $1 }))
            #expect(message.subject.hasPrefix("PIM: "), "\(kind)")
            #expect(message.text.contains("https://pim.example.org/approvals/17"), "\(kind)")
            #expect(message.html.contains("https://pim.example.org/approvals/17"), "\(kind)")
            #expect(!message.text.contains("&amp;") && !message.text.contains("&lt;"), "\(kind)")
        }
    }

    @Test(arguments: ["https://evil.example/x", "//evil.example/x", "javascript:alert(1)", "/a\r\nb", "relative", "/\\evil"])
    func linkPathsThatLeaveThePortalFallBackToItsStartPage(_ path: String) throws {
        let message = try Self.composer.compose(Self.row(payload: MailFixture.payload.merging(["link": path]) { $1 }))
        #expect(message.html.contains(#"href="https://pim.example.org/""#))
        #expect(!message.html.contains("evil") && !message.text.contains("javascript"))
    }

    @Test func hostileJustificationCannotReachTheHeaders() throws {
        let payload = MailFixture.payload.merging(["requesterName": "Eve\r\nBcc: all@example.org", "roleName": "DBA\nX-Evil: 1"]) { $1 }
        let bytes = try Self.composer.compose(Self.row(payload: payload)).serialized()
        let names = MIMETests.headerNames(bytes)
        #expect(!names.contains("Bcc") && !names.contains("X-Evil"))
    }

    @Test func rowsThatCannotBecomeMailsArePermanentErrors() {
        #expect(throws: MailError.self) { try Self.composer.compose(Self.row(recipient: "x")) }
        var unknown = Self.row()
        unknown.kind = "noSuchKind"
        #expect(throws: MailError.self) { try Self.composer.compose(unknown) }
        var broken = Self.row()
        broken.payload = "[1,2]"
        #expect(throws: MailError.self) { try Self.composer.compose(broken) }
    }

    @Test(arguments: ["ftp://pim.example.org", "pim.example.org", "https://pim.example.org/?q=1", "https://"])
    func baseURLMustBeAbsoluteHTTP(_ base: String) throws {
        var configuration = try MailFixture.configuration(port: 25)
        configuration.publicBaseURL = base
        #expect(throws: (any Error).self) { try MailComposer(configuration: configuration) }
    }
}
