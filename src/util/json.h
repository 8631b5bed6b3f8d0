/*
 * json.h: cJSON access for the *_from_json factories. Every getter checks
 * the JSON type, validates strings as UTF-8 and, on failure, fills
 * hubtok_error with HUBTOK_ETOKENIZER and a message that starts with the
 * JSON path of the offending value ("model.merges[12]: ...").
 *
 * Only this file and the *_from_json factories may include cJSON.
 * Thread safety: all functions are reentrant; hubtok__json_parse() never
 * uses cJSON's global error pointer.
 */
#ifndef HUBTOK_UTIL_JSON_H
#define HUBTOK_UTIL_JSON_H

#include "internal.h"

#include <cjson/cJSON.h>
#include <stdint.h>

/* Largest tokenizer.json accepted, in bytes. */
#define HUBTOK__JSON_MAX ((size_t)256 << 20)
/* Deepest nesting of Sequence components accepted by the factories. */
#define HUBTOK__JSON_MAX_DEPTH 32
/* Room for a JSON path in messages. */
#define HUBTOK__PATH_MAX 256

/* Parse text[0..len) (need not be NUL-terminated). On success *out is
 * owned by the caller: cJSON_Delete(). On failure HUBTOK_EJSON with
 * err->pos the byte offset where parsing stopped, or HUBTOK_ETOOLARGE. */
hubtok_code hubtok__json_parse(const char *text, size_t len, cJSON **out,
                               hubtok_error *err);

/*
 * A parse whose tree lives in its own arena: cJSON's nodes and strings
 * (hundreds of thousands for a vocabulary) are bump-allocated from a few
 * large blocks and released at once by hubtok__json_doc_free(), instead
 * of one malloc and one free each, and without leaving a fragmented heap
 * behind. cJSON's allocator hooks are set once when the library loads
 * (a constructor: before any thread uses cJSON); outside a doc parse
 * they are plain malloc/free. Never cJSON_Delete() doc->root, and never
 * keep pointers into the tree past hubtok__json_doc_free() (copy).
 * Thread safety: the arena is per thread and per doc.
 */
typedef struct hubtok__json_doc {
  cJSON *root;
  void *blocks; /* the arena's blocks (owned) */
} hubtok__json_doc;

/* As hubtok__json_parse; on success doc->root is the tree. */
hubtok_code hubtok__json_doc_parse(hubtok__json_doc *doc, const char *text,
                                   size_t len, hubtok_error *err)
  HUBTOK__WARN_UNUSED;
/* NULL-safe; frees the whole tree. */
void hubtok__json_doc_free(hubtok__json_doc *doc);

/* Remove every member named drop[i] (a NULL-terminated list) from the
 * object root[member] (when there is one), then print the tree without
 * spaces. The doc stays valid for hubtok__json_doc_free(). Returns a
 * malloc'd string (free with free()) and its length, or NULL when out
 * of memory. */
char *hubtok__json_doc_print_without(hubtok__json_doc *doc,
                                     const char *member,
                                     const char *const *drop, size_t *len);

/* "parent.key" (or "key" when parent is ""), truncated to fit. */
void hubtok__json_path(char *dst, const char *parent, const char *key);
/* "parent[i]". dst has HUBTOK__PATH_MAX bytes. */
void hubtok__json_path_index(char *dst, const char *parent, size_t i);

/* Member lookup (case-sensitive); NULL when obj is not an object or the
 * key is absent. Borrowed from obj. */
const cJSON *hubtok__json_get(const cJSON *obj, const char *key);

/* 1 when v is NULL (absent) or JSON null. */
int hubtok__json_is_null(const cJSON *v);

/* ETOKENIZER "<path>: <what>" helper. Returns HUBTOK_ETOKENIZER. */
hubtok_code hubtok__json_bad(hubtok_error *err, const char *path,
                             const char *what);

/* Checks that v is an object. */
hubtok_code hubtok__json_object(const cJSON *v, const char *path,
                                hubtok_error *err);

/* v must be a string with valid UTF-8; *out borrowed from v. */
hubtok_code hubtok__json_as_str(const cJSON *v, const char *path,
                                const char **out, size_t *len,
                                hubtok_error *err);

/* v must be a non-negative integer <= UINT32_MAX. */
hubtok_code hubtok__json_as_u32(const cJSON *v, const char *path,
                                uint32_t *out, hubtok_error *err);

/* Member `key` of obj as a string. When the member is absent or null:
 * error if `required`, else *out = NULL, *len = 0. `path` is obj's. */
hubtok_code hubtok__json_str(const cJSON *obj, const char *path,
                             const char *key, int required,
                             const char **out, size_t *len,
                             hubtok_error *err);

/* Member `key` as a bool; absent or null gives `dflt`. */
hubtok_code hubtok__json_bool(const cJSON *obj, const char *path,
                              const char *key, int dflt, int *out,
                              hubtok_error *err);

/* Member `key` as a bool that must be present (serde fields without a
 * default): absent is "missing field", null or another type an error. */
hubtok_code hubtok__json_bool_req(const cJSON *obj, const char *path,
                                  const char *key, int *out,
                                  hubtok_error *err);

/* Member `key` as a uint32; absent or null: error if required, else
 * `dflt`. */
hubtok_code hubtok__json_u32(const cJSON *obj, const char *path,
                             const char *key, int required, uint32_t dflt,
                             uint32_t *out, hubtok_error *err);

/* Member `key` as an array (required). *out borrowed. */
hubtok_code hubtok__json_array(const cJSON *obj, const char *path,
                               const char *key, const cJSON **out,
                               hubtok_error *err);

/* The required "type" member of a component object. */
hubtok_code hubtok__json_type(const cJSON *obj, const char *path,
                              const char **type, hubtok_error *err);

/* EUNSUPPORTED "<path>: <stage> type \"<type>\" is not supported". */
hubtok_code hubtok__json_unsupported(hubtok_error *err, const char *path,
                                     const char *stage, const char *type);

#endif /* HUBTOK_UTIL_JSON_H */
