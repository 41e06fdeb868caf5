#ifndef COSTREPLAY_CSIMDJSON_H
#define COSTREPLAY_CSIMDJSON_H
/*
 * A small C face of simdjson's DOM parser, so Swift can read JSON at simdjson's speed
 * without C++ interop. Elements are addressed by slot numbers that stay valid until the
 * next parse on the same parser; slot 0 is the document root.
 */
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct csj_parser csj_parser;

enum csj_type {
    CSJ_NULL = 0, CSJ_BOOL = 1, CSJ_INT64 = 2, CSJ_UINT64 = 3, CSJ_DOUBLE = 4,
    CSJ_STRING = 5, CSJ_ARRAY = 6, CSJ_OBJECT = 7, CSJ_INVALID = -1
};

csj_parser *csj_parser_new(void);
void csj_parser_free(csj_parser *parser);

/* Parses one document; returns 0 on success or a simdjson error code. */
int csj_parse(csj_parser *parser, const char *bytes, size_t length);
/* A stable English message for a simdjson error code. */
const char *csj_error_message(int code);

int csj_type(const csj_parser *parser, int32_t slot);
/* The slot of an object's member, or -1 when absent or when slot is not an object. */
int32_t csj_field(csj_parser *parser, int32_t slot, const char *key, size_t key_length);
/* Number of elements of an array or members of an object; 0 otherwise. */
size_t csj_size(const csj_parser *parser, int32_t slot);
/* Appends the children of an array or object to consecutive slots; returns the first, or -1. */
int32_t csj_children(csj_parser *parser, int32_t slot, size_t *count);
/* The member key of a slot made by csj_children on an object. */
int csj_key(const csj_parser *parser, int32_t slot, const char **bytes, size_t *length);

int csj_get_string(const csj_parser *parser, int32_t slot, const char **bytes, size_t *length);
int csj_get_int64(const csj_parser *parser, int32_t slot, int64_t *value);
int csj_get_double(const csj_parser *parser, int32_t slot, double *value);
int csj_get_bool(const csj_parser *parser, int32_t slot, int *value);
/* Minified JSON text of an element; valid until the next call on this parser. */
int csj_minify(csj_parser *parser, int32_t slot, const char **bytes, size_t *length);

#ifdef __cplusplus
}
#endif
#endif
