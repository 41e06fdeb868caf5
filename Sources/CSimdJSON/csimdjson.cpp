#include "csimdjson.h"
#include <simdjson.h>
#include <string>
#include <string_view>
#include <vector>

using simdjson::dom::element;
using simdjson::dom::element_type;

struct csj_parser {
    simdjson::dom::parser parser;
    std::vector<element> slots;
    std::vector<std::string_view> keys;
    std::string scratch;
};

extern "C" {

csj_parser *csj_parser_new(void) {
    try { return new csj_parser(); } catch (...) { return nullptr; }
}

void csj_parser_free(csj_parser *p) { delete p; }

int csj_parse(csj_parser *p, const char *bytes, size_t length) {
    p->slots.clear();
    p->keys.clear();
    element root;
    auto error = p->parser.parse(bytes, length, true).get(root);
    if (error) { return int(error); }
    p->slots.push_back(root);
    p->keys.emplace_back();
    return 0;
}

const char *csj_error_message(int code) {
    return simdjson::error_message(simdjson::error_code(code));
}

static inline bool valid(const csj_parser *p, int32_t slot) {
    return slot >= 0 && size_t(slot) < p->slots.size();
}

int csj_type(const csj_parser *p, int32_t slot) {
    if (!valid(p, slot)) { return CSJ_INVALID; }
    switch (p->slots[slot].type()) {
    case element_type::NULL_VALUE: return CSJ_NULL;
    case element_type::BOOL: return CSJ_BOOL;
    case element_type::INT64: return CSJ_INT64;
    case element_type::UINT64: return CSJ_UINT64;
    case element_type::DOUBLE: return CSJ_DOUBLE;
    case element_type::STRING: return CSJ_STRING;
    case element_type::ARRAY: return CSJ_ARRAY;
    case element_type::OBJECT: return CSJ_OBJECT;
    }
    return CSJ_INVALID;
}

int32_t csj_field(csj_parser *p, int32_t slot, const char *key, size_t key_length) {
    if (!valid(p, slot)) { return -1; }
    simdjson::dom::object object;
    if (p->slots[slot].get_object().get(object)) { return -1; }
    element child;
    if (object.at_key(std::string_view(key, key_length)).get(child)) { return -1; }
    p->slots.push_back(child);
    p->keys.emplace_back(key, key_length);
    return int32_t(p->slots.size() - 1);
}

size_t csj_size(const csj_parser *p, int32_t slot) {
    if (!valid(p, slot)) { return 0; }
    const element &e = p->slots[slot];
    simdjson::dom::array array;
    if (!e.get_array().get(array)) { return array.size(); }
    simdjson::dom::object object;
    if (!e.get_object().get(object)) { return object.size(); }
    return 0;
}

int32_t csj_children(csj_parser *p, int32_t slot, size_t *count) {
    *count = 0;
    if (!valid(p, slot)) { return -1; }
    element e = p->slots[slot];
    int32_t first = int32_t(p->slots.size());
    simdjson::dom::array array;
    if (!e.get_array().get(array)) {
        for (element child : array) { p->slots.push_back(child); p->keys.emplace_back(); ++*count; }
        return first;
    }
    simdjson::dom::object object;
    if (!e.get_object().get(object)) {
        for (auto field : object) { p->slots.push_back(field.value); p->keys.push_back(field.key); ++*count; }
        return first;
    }
    return -1;
}

int csj_key(const csj_parser *p, int32_t slot, const char **bytes, size_t *length) {
    if (!valid(p, slot)) { return -1; }
    *bytes = p->keys[slot].data();
    *length = p->keys[slot].size();
    return 0;
}

int csj_get_string(const csj_parser *p, int32_t slot, const char **bytes, size_t *length) {
    if (!valid(p, slot)) { return -1; }
    std::string_view view;
    if (p->slots[slot].get_string().get(view)) { return -1; }
    *bytes = view.data();
    *length = view.size();
    return 0;
}

int csj_get_int64(const csj_parser *p, int32_t slot, int64_t *value) {
    if (!valid(p, slot)) { return -1; }
    return p->slots[slot].get_int64().get(*value) ? -1 : 0;
}

int csj_get_double(const csj_parser *p, int32_t slot, double *value) {
    if (!valid(p, slot)) { return -1; }
    return p->slots[slot].get_double().get(*value) ? -1 : 0;
}

int csj_get_bool(const csj_parser *p, int32_t slot, int *value) {
    if (!valid(p, slot)) { return -1; }
    bool b = false;
    if (p->slots[slot].get_bool().get(b)) { return -1; }
    *value = b ? 1 : 0;
    return 0;
}

int csj_minify(csj_parser *p, int32_t slot, const char **bytes, size_t *length) {
    if (!valid(p, slot)) { return -1; }
    try {
        p->scratch = simdjson::minify(p->slots[slot]);
    } catch (...) { return -1; }
    *bytes = p->scratch.data();
    *length = p->scratch.size();
    return 0;
}

}
