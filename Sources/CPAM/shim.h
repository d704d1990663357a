#ifndef PIM_CPAM_SHIM_H
#define PIM_CPAM_SHIM_H
// Linux-PAM application API: pam_start(3), pam_authenticate(3), pam_acct_mgmt(3), pam_conv(3).
#include <security/pam_appl.h>
#endif
