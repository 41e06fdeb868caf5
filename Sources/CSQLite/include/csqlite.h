#ifndef COSTREPLAY_CSQLITE_H
#define COSTREPLAY_CSQLITE_H
/* SQLite 3.54 as vapor/sqlite-nio builds it from SQLite's amalgamation, in place of Debian 12's 3.40: the same
   binary took 2.22-2.34 s instead of 2.43-2.58 s (3.76-3.85 CPU s instead of 4.09-4.37) to ingest a million
   requests against either library, alternated (docs/performance.md, "Session 12 (lead, main)"). sqlite-nio gives each function a `sqlite_nio_` prefix so that it can
   share a process with another SQLite; the types and constants keep SQLite's names. The wrappers below give the
   functions this package calls their SQLite names, so the Swift code reads as SQLite's C API.
   Two cautions. The header still declares, unprefixed, the functions sqlite-nio's build leaves out
   (sqlite3_progress_handler, sqlite3_trace_v2, sqlite3_load_extension, sqlite3_serialize, sqlite3_get_table ...)
   and the math SQL functions are not compiled in: a call to one links against nothing, or against another SQLite
   in the process, so .ci/run fails when the binary asks for any `sqlite3_` symbol. A function not below needs a
   wrapper here first. The version and the options the store relies on are asserted by SQLiteBuildTests. */
#include "sqlite_nio_sqlite3.h"

#define CSQLITE_FORWARD static inline __attribute__((always_inline))

CSQLITE_FORWARD int sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs) {
    return sqlite_nio_sqlite3_open_v2(filename, db, flags, vfs);
}
CSQLITE_FORWARD int sqlite3_close(sqlite3 *db) { return sqlite_nio_sqlite3_close(db); }
CSQLITE_FORWARD int sqlite3_close_v2(sqlite3 *db) { return sqlite_nio_sqlite3_close_v2(db); }
CSQLITE_FORWARD int sqlite3_busy_timeout(sqlite3 *db, int ms) { return sqlite_nio_sqlite3_busy_timeout(db, ms); }
CSQLITE_FORWARD int sqlite3_limit(sqlite3 *db, int id, int value) { return sqlite_nio_sqlite3_limit(db, id, value); }
CSQLITE_FORWARD int sqlite3_exec(sqlite3 *db, const char *sql, int (*callback)(void *, int, char **, char **),
                                 void *context, char **error) {
    return sqlite_nio_sqlite3_exec(db, sql, callback, context, error);
}
CSQLITE_FORWARD const char *sqlite3_errmsg(sqlite3 *db) { return sqlite_nio_sqlite3_errmsg(db); }
CSQLITE_FORWARD const char *sqlite3_errstr(int code) { return sqlite_nio_sqlite3_errstr(code); }
CSQLITE_FORWARD void sqlite3_free(void *memory) { sqlite_nio_sqlite3_free(memory); }
CSQLITE_FORWARD int sqlite3_changes(sqlite3 *db) { return sqlite_nio_sqlite3_changes(db); }
CSQLITE_FORWARD sqlite3_int64 sqlite3_last_insert_rowid(sqlite3 *db) { return sqlite_nio_sqlite3_last_insert_rowid(db); }

CSQLITE_FORWARD int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int bytes, sqlite3_stmt **statement,
                                       const char **tail) {
    return sqlite_nio_sqlite3_prepare_v2(db, sql, bytes, statement, tail);
}
CSQLITE_FORWARD int sqlite3_step(sqlite3_stmt *s) { return sqlite_nio_sqlite3_step(s); }
CSQLITE_FORWARD int sqlite3_reset(sqlite3_stmt *s) { return sqlite_nio_sqlite3_reset(s); }
CSQLITE_FORWARD int sqlite3_finalize(sqlite3_stmt *s) { return sqlite_nio_sqlite3_finalize(s); }

CSQLITE_FORWARD int sqlite3_bind_null(sqlite3_stmt *s, int i) { return sqlite_nio_sqlite3_bind_null(s, i); }
CSQLITE_FORWARD int sqlite3_bind_int64(sqlite3_stmt *s, int i, sqlite3_int64 v) { return sqlite_nio_sqlite3_bind_int64(s, i, v); }
CSQLITE_FORWARD int sqlite3_bind_double(sqlite3_stmt *s, int i, double v) { return sqlite_nio_sqlite3_bind_double(s, i, v); }
CSQLITE_FORWARD int sqlite3_bind_text(sqlite3_stmt *s, int i, const char *v, int n, void (*d)(void *)) {
    return sqlite_nio_sqlite3_bind_text(s, i, v, n, d);
}
CSQLITE_FORWARD int sqlite3_bind_text64(sqlite3_stmt *s, int i, const char *v, sqlite3_uint64 n, void (*d)(void *),
                                        unsigned char encoding) {
    return sqlite_nio_sqlite3_bind_text64(s, i, v, n, d, encoding);
}
CSQLITE_FORWARD int sqlite3_bind_blob(sqlite3_stmt *s, int i, const void *v, int n, void (*d)(void *)) {
    return sqlite_nio_sqlite3_bind_blob(s, i, v, n, d);
}
CSQLITE_FORWARD int sqlite3_bind_blob64(sqlite3_stmt *s, int i, const void *v, sqlite3_uint64 n, void (*d)(void *)) {
    return sqlite_nio_sqlite3_bind_blob64(s, i, v, n, d);
}

CSQLITE_FORWARD int sqlite3_column_type(sqlite3_stmt *s, int i) { return sqlite_nio_sqlite3_column_type(s, i); }
CSQLITE_FORWARD sqlite3_int64 sqlite3_column_int64(sqlite3_stmt *s, int i) { return sqlite_nio_sqlite3_column_int64(s, i); }
CSQLITE_FORWARD double sqlite3_column_double(sqlite3_stmt *s, int i) { return sqlite_nio_sqlite3_column_double(s, i); }
CSQLITE_FORWARD const unsigned char *sqlite3_column_text(sqlite3_stmt *s, int i) { return sqlite_nio_sqlite3_column_text(s, i); }
CSQLITE_FORWARD const void *sqlite3_column_blob(sqlite3_stmt *s, int i) { return sqlite_nio_sqlite3_column_blob(s, i); }
CSQLITE_FORWARD int sqlite3_column_bytes(sqlite3_stmt *s, int i) { return sqlite_nio_sqlite3_column_bytes(s, i); }

/* SQLITE_TRANSIENT is a cast macro that Swift does not import. */
CSQLITE_FORWARD sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
CSQLITE_FORWARD sqlite3_destructor_type csqlite_static(void) { return SQLITE_STATIC; }
/* sqlite3_config is variadic, which Swift cannot call. Each connection is used by one thread, so
   SQLite's own mutexes and allocation statistics are pure overhead; call before any other use. */
static inline int csqlite_configure_single_user(void) {
    int a = sqlite_nio_sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    int b = sqlite_nio_sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return a != SQLITE_OK ? a : b;
}
#endif
