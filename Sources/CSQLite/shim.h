#include <sqlite3.h>

// sqlite3_db_config is variadic, which Swift cannot call: these wrap the uses sluice has.

/// Disables extension loading, both the C API and the SQL function load_extension().
static inline int sluice_disable_extension_loading(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)0);
}

/// Turns off SQLite's memory statistics, process-wide: with them on, every allocation
/// takes one global mutex, which threads reading a fleet's members at once contend for.
/// Must run before SQLite initializes (the first connection); afterwards it is refused,
/// harmlessly, with SQLITE_MISUSE.
static inline int sluice_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
