// C-callable face of RE2 for Swift: compile, search, release.
#include "cre2shim.h"
#include <re2/re2.h>
#include <cstring>

struct cre2_regex {
    re2::RE2 re;
    cre2_regex(const re2::StringPiece &pattern, const re2::RE2::Options &options) : re(pattern, options) {}
};

cre2_regex *cre2_compile(const char *pattern, size_t length, int case_insensitive, char *error, size_t error_capacity) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(case_insensitive == 0);
    // Bounded memory for hostile patterns: RE2 fails to compile rather than grow without limit.
    options.set_max_mem(8 << 20);
    auto *regex = new cre2_regex(re2::StringPiece(pattern, length), options);
    if (!regex->re.ok()) {
        if (error && error_capacity > 0) {
            std::strncpy(error, regex->re.error().c_str(), error_capacity - 1);
            error[error_capacity - 1] = 0;
        }
        delete regex;
        return nullptr;
    }
    return regex;
}

int cre2_search(const cre2_regex *regex, const char *text, size_t length) {
    return re2::RE2::PartialMatch(re2::StringPiece(text, length), regex->re) ? 1 : 0;
}

void cre2_release(cre2_regex *regex) { delete regex; }
