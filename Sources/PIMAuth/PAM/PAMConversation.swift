import CPAM
import Foundation

/// What one PAM transaction's conversation function needs and collects. It lives for exactly one
/// transaction on one pool thread and reaches the C callback through `pam_conv.appdata_ptr`
/// (pam_conv(3)), so it needs no locking and is deliberately not Sendable.
final class PAMConversation {
    /// Linux-PAM's own bounds (`PAM_MAX_NUM_MSG`, `PAM_MAX_MSG_SIZE`, `PAM_MAX_RESP_SIZE`).
    static let maxMessages = Int(PAM_MAX_NUM_MSG)
    static let maxMessageBytes = Int(PAM_MAX_MSG_SIZE)
    static let maxResponseBytes = Int(PAM_MAX_RESP_SIZE)
    /// Messages kept over the whole transaction, so a chatty stack cannot grow memory unbounded.
    static let maxCollected = 64

    private let username: [UInt8]
    private var password: [UInt8]
    private(set) var messages: [PAMMessage] = []

    init(username: String, password: [UInt8]) {
        self.username = Array(username.utf8)
        self.password = password
    }

    /// Overwrites our copy of the password once PAM is done with it.
    func wipe() {
        for index in password.indices { password[index] = 0 }
    }

    /// Answers one batch of messages (pam_conv(3)). Returns `PAM_CONV_ERR` for anything
    /// outside the bounds or of an unknown style; on error nothing is handed to PAM.
    func converse(
        count: Int32,
        messages messageArray: UnsafeMutablePointer<UnsafePointer<pam_message>?>?,
        responses: UnsafeMutablePointer<UnsafeMutablePointer<pam_response>?>?
    ) -> Int32 {
        guard let messageArray, let responses, count > 0, Int(count) <= Self.maxMessages else {
            return PAM_CONV_ERR
        }
        responses.pointee = nil
        // The response array and each string are malloc'ed: PAM frees them (pam_conv(3)).
        guard let replies = calloc(Int(count), MemoryLayout<pam_response>.stride)?
            .bindMemory(to: pam_response.self, capacity: Int(count))
        else { return PAM_BUF_ERR }

        for index in 0..<Int(count) {
            // Linux-PAM passes an array of pointers to messages (pam_conv(3), "msg").
            guard let message = messageArray[index]?.pointee,
                  let text = Self.boundedText(message.msg)
            else {
                Self.release(replies, count: Int(count))
                return PAM_CONV_ERR
            }
            switch message.msg_style {
            case PAM_PROMPT_ECHO_OFF:
                replies[index].resp = Self.mallocString(password)
            case PAM_PROMPT_ECHO_ON:
                // With the user given to pam_start, a visible prompt can only ask for the name.
                replies[index].resp = Self.mallocString(username)
            case PAM_ERROR_MSG:
                collect(PAMMessage(kind: .error, text: text))
            case PAM_TEXT_INFO:
                collect(PAMMessage(kind: .info, text: text))
            default:
                Self.release(replies, count: Int(count))
                return PAM_CONV_ERR
            }
            let isPrompt = message.msg_style == PAM_PROMPT_ECHO_OFF || message.msg_style == PAM_PROMPT_ECHO_ON
            if isPrompt && replies[index].resp == nil {
                Self.release(replies, count: Int(count))
                return PAM_BUF_ERR
            }
        }
        responses.pointee = replies
        return PAM_SUCCESS
    }

    private func collect(_ message: PAMMessage) {
        if messages.count < Self.maxCollected { messages.append(message) }
    }

    /// The message text if it is at most `PAM_MAX_MSG_SIZE` bytes long (NULL counts as empty).
    private static func boundedText(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return "" }
        let length = strnlen(pointer, maxMessageBytes + 1)
        guard length <= maxMessageBytes else { return nil }
        let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func mallocString(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar>? {
        guard bytes.count <= maxResponseBytes,
              let memory = malloc(bytes.count + 1)?.bindMemory(to: CChar.self, capacity: bytes.count + 1)
        else { return nil }
        for (offset, byte) in bytes.enumerated() { memory[offset] = CChar(bitPattern: byte) }
        memory[bytes.count] = 0
        return memory
    }

    /// Frees a response array we did not hand over, wiping answers first (they may hold the password).
    private static func release(_ replies: UnsafeMutablePointer<pam_response>, count: Int) {
        for index in 0..<count {
            if let answer = replies[index].resp {
                memset(answer, 0, strlen(answer))
                free(answer)
            }
        }
        free(replies)
    }
}

/// A message a PAM module showed the user (`PAM_TEXT_INFO` or `PAM_ERROR_MSG`).
public struct PAMMessage: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case info, error }
    public let kind: Kind
    public let text: String
}

/// The C entry point PAM calls; it only forwards to the `PAMConversation` behind `appdata_ptr`.
let pimPAMConversationFunction: pim_pam_conv_fn = { count, messages, responses, appdata in
    guard let appdata else { return PAM_CONV_ERR }
    let conversation = Unmanaged<PAMConversation>.fromOpaque(appdata).takeUnretainedValue()
    return conversation.converse(count: count, messages: messages, responses: responses)
}
