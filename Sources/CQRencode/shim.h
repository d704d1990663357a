#ifndef PIM_CQRENCODE_SHIM_H
#define PIM_CQRENCODE_SHIM_H
// libqrencode: QRcode_encodeString(3); we render the module matrix to SVG ourselves.
#include <qrencode.h>
#endif
