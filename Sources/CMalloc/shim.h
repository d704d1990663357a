// glibc's malloc tuning, mallopt(3), which Glibc's Swift module does not export.
#include <malloc.h>
