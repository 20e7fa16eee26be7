#include <sqlite3.h>

// sqlite3_db_config is variadic, which Swift cannot call: these wrap the uses sluice has.

/// Disables extension loading, both the C API and the SQL function load_extension().
static inline int sluice_disable_extension_loading(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)0);
}
