import CPAM
import Foundation
@testable import PIMAuth
import Testing

/// The conversation function called the way libpam calls it (pam_conv(3)), with hostile batches.
struct PAMConversationTests {
    /// Runs one batch; returns the status and the answers (freed here, as PAM would free them).
    func converse(_ conversation: PAMConversation, _ batch: [(style: Int32, text: String?)],
                  nullAt: Int? = nil) -> (status: Int32, answers: [String?]) {
        let texts = batch.map { $0.text.map { strdup($0)! } }
        defer { texts.forEach { free($0) } }
        let messages = UnsafeMutablePointer<pam_message>.allocate(capacity: max(batch.count, 1))
        defer { messages.deallocate() }
        var pointers: [UnsafePointer<pam_message>?] = []
        for (index, item) in batch.enumerated() {
            messages[index] = pam_message(msg_style: item.style, msg: texts[index].map { UnsafePointer($0) })
            pointers.append(index == nullAt ? nil : UnsafePointer(messages + index))
        }
        var responses: UnsafeMutablePointer<pam_response>?
        let status = pointers.withUnsafeMutableBufferPointer { buffer in
            conversation.converse(count: Int32(batch.count), messages: buffer.baseAddress, responses: &responses)
        }
        var answers: [String?] = []
        if let responses {
            for index in 0..<batch.count {
                answers.append(responses[index].resp.map { String(cString: $0) })
                free(responses[index].resp)
            }
            free(responses)
        }
        return (status, answers)
    }

    @Test func promptsAreAnsweredAndMessagesCollected() {
        let conversation = PAMConversation(username: "alice", password: Array("s3cret".utf8))
        let result = converse(conversation, [
            (PAM_TEXT_INFO, "Welcome"), (PAM_PROMPT_ECHO_OFF, "Password: "),
            (PAM_PROMPT_ECHO_ON, "login: "), (PAM_ERROR_MSG, "Your password expires soon"),
        ])
        #expect(result.status == PAM_SUCCESS)
        #expect(result.answers == [nil, "s3cret", "alice", nil])
        #expect(conversation.messages == [PAMMessage(kind: .info, text: "Welcome"),
                                          PAMMessage(kind: .error, text: "Your password expires soon")])
    }

    @Test func atMostThirtyTwoMessagesPerBatch() {
        let conversation = PAMConversation(username: "alice", password: Array("pw".utf8))
        let full = Array(repeating: (style: PAM_TEXT_INFO, text: Optional("hi")), count: 32)
        #expect(converse(conversation, full).status == PAM_SUCCESS)
        let tooMany = converse(conversation, full + [(PAM_TEXT_INFO, "hi")])
        #expect(tooMany.status == PAM_CONV_ERR && tooMany.answers.isEmpty)
        #expect(converse(conversation, []).status == PAM_CONV_ERR)
    }

    @Test func promptsOverFiveHundredTwelveBytesAreRefusedWithNothingHandedOver() {
        let conversation = PAMConversation(username: "alice", password: Array("pw".utf8))
        #expect(converse(conversation, [(PAM_PROMPT_ECHO_OFF, String(repeating: "p", count: 512))]).status == PAM_SUCCESS)
        let long = converse(conversation, [(PAM_PROMPT_ECHO_OFF, "Password: "), (PAM_TEXT_INFO, String(repeating: "p", count: 513))])
        #expect(long.status == PAM_CONV_ERR && long.answers.isEmpty)
    }

    @Test func unknownStylesAndNullMessagesAreConversationErrors() {
        let conversation = PAMConversation(username: "alice", password: Array("pw".utf8))
        // 7 is Linux-PAM's PAM_BINARY_PROMPT, which a password form cannot answer.
        #expect(converse(conversation, [(PAM_PROMPT_ECHO_OFF, "Password: "), (7, "binary")]).status == PAM_CONV_ERR)
        #expect(converse(conversation, [(PAM_TEXT_INFO, "a"), (PAM_TEXT_INFO, "b")], nullAt: 1).status == PAM_CONV_ERR)
        #expect(converse(conversation, [(PAM_TEXT_INFO, nil)]).status == PAM_SUCCESS)
    }

    @Test func collectedMessagesAreBounded() {
        let conversation = PAMConversation(username: "alice", password: Array("pw".utf8))
        for _ in 0..<10 {
            _ = converse(conversation, Array(repeating: (style: PAM_TEXT_INFO, text: Optional("spam")), count: 32))
        }
        #expect(conversation.messages.count == PAMConversation.maxCollected)
    }

    @Test func callbackWithoutContextRefuses() {
        var responses: UnsafeMutablePointer<pam_response>?
        #expect(pimPAMConversationFunction(1, nil, &responses, nil) == PAM_CONV_ERR)
        #expect(responses == nil)
    }
}
