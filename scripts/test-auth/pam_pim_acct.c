/* A test-only PAM account module for PIM's tests (built by scripts/test-auth-env.sh): it answers
 * pam_acct_mgmt(3) with the status real modules give for expired, must-change and locked
 * accounts, chosen by user name, so the classification runs through the real libpam.
 * pam_sm_acct_mgmt(3): PAM_ACCT_EXPIRED, PAM_NEW_AUTHTOK_REQD, PAM_PERM_DENIED. */
#include <security/pam_modules.h>
#include <string.h>

PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv) {
    (void)pamh; (void)flags; (void)argc; (void)argv;
    return PAM_IGNORE;
}

PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv) {
    (void)pamh; (void)flags; (void)argc; (void)argv;
    return PAM_IGNORE;
}

PAM_EXTERN int pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv) {
    (void)flags; (void)argc; (void)argv;
    const char *user = NULL;
    if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || user == NULL) return PAM_USER_UNKNOWN;
    if (strcmp(user, "expired") == 0) return PAM_ACCT_EXPIRED;
    if (strcmp(user, "mustchange") == 0) return PAM_NEW_AUTHTOK_REQD;
    if (strcmp(user, "pwexpired") == 0) return PAM_AUTHTOK_EXPIRED;
    if (strcmp(user, "locked") == 0) return PAM_PERM_DENIED;
    return PAM_SUCCESS;
}
