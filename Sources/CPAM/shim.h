#ifndef PIM_CPAM_SHIM_H
#define PIM_CPAM_SHIM_H
// Linux-PAM application API: pam_start(3), pam_authenticate(3), pam_acct_mgmt(3), pam_conv(3).
#include <security/pam_appl.h>

// The flag macros are unsigned literals (0x8000U); give Swift one typed value (pam_authenticate(3)).
static inline int pim_pam_authenticate_flags(void) {
    return (int)(PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
}

static inline int pim_pam_silent_flag(void) {
    return (int)PAM_SILENT;
}

// pam_conv(3): the callback type, named so Swift can spell a @convention(c) closure for it.
typedef int (*pim_pam_conv_fn)(int num_msg, const struct pam_message **msg,
                               struct pam_response **resp, void *appdata_ptr);
#endif
