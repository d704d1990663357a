import CPAM
import Foundation

/// Where and how PAM runs. The service name comes from configuration, never from argv.
public struct PAMConfiguration: Sendable {
    /// The `/etc/pam.d/` service PIM authenticates against. Default `pim`.
    public var serviceName: String
    /// Dedicated threads for PAM calls. Default 8: each failure delay holds one for seconds.
    public var threads: Int

    public init(serviceName: String = "pim", threads: Int = 8) {
        self.serviceName = serviceName
        self.threads = threads
    }
}

/// The result of one PAM sign-in. Only `.refused` reveals anything, and only after the
/// password was right.
public enum PAMOutcome: Sendable, Equatable {
    /// Password right and account usable; `user` is `PAM_USER` as the modules left it.
    case authenticated(user: String, messages: [PAMMessage])
    /// Unknown user, wrong password, empty or oversized input: one indistinguishable answer.
    case badCredentials
    /// The password was right but `pam_acct_mgmt` refused the account.
    case refused(AccountProblem, messages: [PAMMessage])
    /// PAM itself failed (missing service file, module error): an operator problem.
    case unavailable(PAMError)
}

/// Why `pam_acct_mgmt` refused an account whose password was right (pam_acct_mgmt(3)).
public enum AccountProblem: Sendable, Equatable {
    case accountExpired
    case passwordExpired
    case denied

    /// Plain words for the sign-in page.
    public var message: String {
        switch self {
        case .accountExpired: "Your account has expired. Ask your administrator to renew it."
        case .passwordExpired: "Your password has expired and must be changed before you can sign in."
        case .denied: "Your account is locked or not allowed to use PIM. Ask your administrator."
        }
    }
}

/// Signs people in through Linux-PAM on a dedicated thread pool, one handle per attempt
/// (The Linux-PAM Application Developers' Guide, "What can be expected by the application").
public final class PAMAuthenticator: Sendable {
    /// Longest password passed to PAM (`PAM_MAX_RESP_SIZE`); longer ones are refused before PAM.
    public static let maxPasswordBytes = 512
    /// Longest user name passed to PAM.
    public static let maxUsernameBytes = 256

    public let configuration: PAMConfiguration
    private let pool: PAMThreadPool

    public init(configuration: PAMConfiguration = PAMConfiguration()) {
        self.configuration = configuration
        self.pool = PAMThreadPool(threads: configuration.threads, name: "pim-pam")
    }

    deinit { pool.shutdown() }

    /// Authenticates `username` with `password` from `remoteHost` (stored as `PAM_RHOST`).
    public func authenticate(username: String, password: String, remoteHost: String?) async -> PAMOutcome {
        guard Self.isAcceptable(username: username), Self.isAcceptable(password: password) else {
            return .badCredentials
        }
        let service = configuration.serviceName
        let secret = Array(password.utf8)
        return await pool.run {
            Self.runTransaction(service: service, username: username, password: secret, remoteHost: remoteHost)
        }
    }

    static func isAcceptable(username: String) -> Bool {
        let bytes = username.utf8
        return !bytes.isEmpty && bytes.count <= maxUsernameBytes
            && !username.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Empty passwords (also refused by `PAM_DISALLOW_NULL_AUTHTOK`), overlong ones and ones with
    /// NUL, which C would silently truncate, never reach PAM.
    static func isAcceptable(password: String) -> Bool {
        let bytes = password.utf8
        return !bytes.isEmpty && bytes.count <= maxPasswordBytes && !bytes.contains(0)
    }

    /// pam_start → pam_set_item(PAM_RHOST) → pam_authenticate → pam_acct_mgmt → PAM_USER → pam_end.
    private static func runTransaction(
        service: String, username: String, password: [UInt8], remoteHost: String?
    ) -> PAMOutcome {
        let conversation = PAMConversation(username: username, password: password)
        defer { conversation.wipe() }
        return withExtendedLifetime(conversation) {
            let transaction: PAMTransaction
            do {
                transaction = try PAMTransaction(service: service, user: username, conversation: conversation)
            } catch let error as PAMError {
                return .unavailable(error)
            } catch {
                return .unavailable(PAMError(function: "pam_start", code: PAM_SYSTEM_ERR, message: nil))
            }
            defer { transaction.end() }
            if let remoteHost {
                do { try transaction.setItem(PAM_RHOST, remoteHost) } catch let error as PAMError {
                    return .unavailable(error)
                } catch {
                    return .unavailable(PAMError(function: "pam_set_item", code: PAM_SYSTEM_ERR, message: nil))
                }
            }
            let authStatus = transaction.authenticate(flags: pim_pam_authenticate_flags())
            switch authStatus {
            case PAM_SUCCESS:
                break
            case PAM_AUTH_ERR, PAM_USER_UNKNOWN, PAM_MAXTRIES, PAM_CRED_INSUFFICIENT, PAM_AUTHINFO_UNAVAIL:
                // AUTHINFO_UNAVAIL is what pam_unix and pam_matrix say for some unknown users too.
                return .badCredentials
            default:
                return .unavailable(PAMError(
                    function: "pam_authenticate", code: authStatus, message: transaction.strerror(authStatus)))
            }
            let accountStatus = transaction.accountManagement(flags: pim_pam_silent_flag())
            switch accountStatus {
            case PAM_SUCCESS:
                let canonical = transaction.user() ?? username
                return .authenticated(user: canonical, messages: conversation.messages)
            case PAM_ACCT_EXPIRED:
                return .refused(.accountExpired, messages: conversation.messages)
            case PAM_NEW_AUTHTOK_REQD, PAM_AUTHTOK_EXPIRED:
                return .refused(.passwordExpired, messages: conversation.messages)
            default:
                return .refused(.denied, messages: conversation.messages)
            }
        }
    }
}
