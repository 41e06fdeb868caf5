#ifndef COSTREPLAY_CSQLITE_SHIM_H
#define COSTREPLAY_CSQLITE_SHIM_H
#include <sqlite3.h>
/* SQLITE_TRANSIENT is a cast macro that Swift does not import. */
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type csqlite_static(void) { return SQLITE_STATIC; }
/* sqlite3_config is variadic, which Swift cannot call. Each connection is used by one thread, so
   SQLite's own mutexes and allocation statistics are pure overhead; call before any other use. */
static inline int csqlite_configure_single_user(void) {
    int a = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    int b = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return a != SQLITE_OK ? a : b;
}
#endif
