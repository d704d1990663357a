#ifndef PIM_COATH_SHIM_H
#define PIM_COATH_SHIM_H
// liboath: oath_totp_validate3(3), oath_totp_generate(3), oath_base32_decode(3).
#include <liboath/oath.h>
#endif
