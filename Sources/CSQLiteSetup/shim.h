// Process-wide SQLite settings. sqlite3_config(3) is variadic, which Swift cannot call, and
// must run before SQLite initializes, that is before the process's first connection opens.
#include <sqlite3.h>

// - Multi-thread mode: no mutex around every call on a connection or statement. GRDB already
//   serializes each connection's use (it supports only this mode, see its Configuration).
// - No memory statistics: with them SQLite takes one process-wide mutex on every allocation,
//   which the writer and the read threads then contend for (Debian's SQLite is built without
//   the lookaside allocator, so statements allocate often). PIM never reads the statistics.
// Returns SQLITE_OK, or SQLITE_MISUSE when SQLite was already in use (the settings then stay
// SQLite's defaults, which are only slower).
static inline int pim_sqlite_configure(void) {
    int rc = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
