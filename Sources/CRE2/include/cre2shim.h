#ifndef CRE2SHIM_H
#define CRE2SHIM_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/// A compiled RE2 pattern (linear-time matching, no backtracking).
typedef struct cre2_regex cre2_regex;

/// Compiles `pattern`; NULL on error, with RE2's message copied into `error` (NUL-terminated).
cre2_regex *cre2_compile(const char *pattern, size_t length, int case_insensitive, char *error, size_t error_capacity);
/// 1 when the pattern matches anywhere in `text`, else 0.
int cre2_search(const cre2_regex *regex, const char *text, size_t length);
void cre2_release(cre2_regex *regex);

#ifdef __cplusplus
}
#endif
#endif
