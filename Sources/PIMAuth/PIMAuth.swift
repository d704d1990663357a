/// PIMAuth: PAM sign-in, NSS directory, TOTP step-up MFA, sessions and CSRF.
public enum PIMAuthInfo {
    public static let name = "PIMAuth"
}
