import CPAM
import Foundation

/// One PAM handle from `pam_start` to `pam_end` (pam_start(3)). `pam_end` runs exactly once,
/// either explicitly with the last status or from `deinit`. Confined to the pool thread that
/// created it, hence not Sendable.
final class PAMTransaction {
    private var handle: OpaquePointer?
    private var lastStatus: Int32 = PAM_SUCCESS

    /// `conversation` must outlive the transaction; `PAMAuthenticator` keeps it retained.
    init(service: String, user: String, conversation: PAMConversation) throws(PAMError) {
        var conv = pam_conv(
            conv: pimPAMConversationFunction,
            appdata_ptr: Unmanaged.passUnretained(conversation).toOpaque()
        )
        var pamh: OpaquePointer?
        // Linux-PAM copies the pam_conv structure, so `conv` may live on this stack frame.
        let status = pam_start(service, user, &conv, &pamh)
        guard status == PAM_SUCCESS, let pamh else {
            if let pamh { pam_end(pamh, status) }
            throw PAMError(function: "pam_start", code: status, message: nil)
        }
        handle = pamh
    }

    deinit { end() }

    /// pam_set_item(3) for string items such as `PAM_RHOST`.
    func setItem(_ item: Int32, _ value: String) throws(PAMError) {
        guard let handle else { return }
        let status = pam_set_item(handle, item, value)
        try check(status, "pam_set_item")
    }

    /// pam_authenticate(3); returns the raw status so the caller can classify it.
    func authenticate(flags: Int32) -> Int32 {
        guard let handle else { return PAM_SYSTEM_ERR }
        lastStatus = pam_authenticate(handle, flags)
        return lastStatus
    }

    /// pam_acct_mgmt(3); returns the raw status.
    func accountManagement(flags: Int32) -> Int32 {
        guard let handle else { return PAM_SYSTEM_ERR }
        lastStatus = pam_acct_mgmt(handle, flags)
        return lastStatus
    }

    /// `PAM_USER` as the modules left it: the canonical account name (pam_get_item(3)).
    func user() -> String? {
        guard let handle else { return nil }
        var item: UnsafeRawPointer?
        guard pam_get_item(handle, PAM_USER, &item) == PAM_SUCCESS, let item else { return nil }
        return String(cString: item.assumingMemoryBound(to: CChar.self))
    }

    func strerror(_ code: Int32) -> String {
        guard let handle, let text = pam_strerror(handle, code) else { return "PAM error \(code)" }
        return String(cString: text)
    }

    /// pam_end(3) with the last status; safe to call more than once.
    func end() {
        guard let handle else { return }
        pam_end(handle, lastStatus)
        self.handle = nil
    }

    private func check(_ status: Int32, _ function: String) throws(PAMError) {
        guard status == PAM_SUCCESS else {
            lastStatus = status
            throw PAMError(function: function, code: status, message: strerror(status))
        }
    }
}

/// A PAM call that failed for a reason other than the user's credentials.
public struct PAMError: Error, Sendable, Equatable, CustomStringConvertible {
    public let function: String
    public let code: Int32
    public let message: String?
    public var description: String { "\(function) failed: \(message ?? "code \(code)") (\(code))" }
}
