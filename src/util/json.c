/*
 * json.c: cJSON parsing and typed getters that report JSON paths (see
 * json.h).
 */
#include "util/json.h"
#include "util/utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* ------------------------------------------------------------------ */
/* the doc arena (json.h)                                              */

typedef struct block {
  struct block *next;
  size_t cap, used;
  max_align_t data[]; /* cap bytes */
} block;

#define BLOCK_FIRST ((size_t)1 << 20)
#define BLOCK_MAX ((size_t)64 << 20)

/* The arena of the doc being parsed on this thread, or NULL. */
static __thread block **tls_blocks;

static void *
arena_alloc(block **head, size_t n)
{
  block *b = *head;
  size_t need = (n + 15) & ~(size_t)15;

  if(need < n)
    return NULL;
  if(!b || b->cap - b->used < need) {
    size_t cap = b ? b->cap * 2 : BLOCK_FIRST;
    block *nb;
    if(cap > BLOCK_MAX)
      cap = BLOCK_MAX;
    if(cap < need)
      cap = need;
    /* straight from the kernel, so the whole tree goes back to it at
     * once (a malloc'd block would stay in the heap after free) */
    nb = mmap(NULL, sizeof(block) + cap, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if(nb == MAP_FAILED)
      return NULL;
    nb->next = b;
    nb->cap = cap;
    nb->used = 0;
    *head = nb;
    b = nb;
  }
  b->used += need;
  return (char *)b->data + b->used - need;
}

static int
in_arena(const block *b, const void *p)
{
  for(; b; b = b->next)
    if((const char *)p >= (const char *)b->data &&
       (const char *)p < (const char *)b->data + b->cap)
      return 1;
  return 0;
}

static void *
hook_malloc(size_t n)
{
  if(tls_blocks)
    return arena_alloc(tls_blocks, n);
  return malloc(n);
}

/* cJSON frees inside a doc parse only when it fails (the partial tree):
 * those nodes go with the arena. */
static void
hook_free(void *p)
{
  if(p && tls_blocks && in_arena(*tls_blocks, p))
    return;
  free(p);
}

__attribute__((constructor)) static void
install_hooks(void)
{
  cJSON_Hooks h = { hook_malloc, hook_free };
  cJSON_InitHooks(&h);
}

char *
hubtok__json_doc_print_without(hubtok__json_doc *doc, const char *member,
                               const char *const *drop, size_t *len)
{
  cJSON *obj = cJSON_GetObjectItemCaseSensitive(doc->root, member);
  char *s;

  for(; obj && cJSON_IsObject(obj) && *drop; drop++)
    while(cJSON_GetObjectItemCaseSensitive(obj, *drop))
      cJSON_DetachItemFromObjectCaseSensitive(obj, *drop); /* arena's */
  /* outside a doc parse the hooks are malloc and free */
  s = cJSON_PrintUnformatted(doc->root);
  if(s && len)
    *len = strlen(s);
  return s;
}

void
hubtok__json_doc_free(hubtok__json_doc *doc)
{
  block *b;

  if(!doc)
    return;
  b = doc->blocks;
  while(b) {
    block *next = b->next;
    munmap(b, sizeof(block) + b->cap);
    b = next;
  }
  doc->blocks = NULL;
  doc->root = NULL;
}

hubtok_code
hubtok__json_doc_parse(hubtok__json_doc *doc, const char *text, size_t len,
                       hubtok_error *err)
{
  block *head = NULL;
  block **saved = tls_blocks;
  hubtok_code rc;

  doc->root = NULL;
  doc->blocks = NULL;
  tls_blocks = &head;
  rc = hubtok__json_parse(text, len, &doc->root, err);
  tls_blocks = saved;
  doc->blocks = head;
  if(rc)
    hubtok__json_doc_free(doc);
  return rc;
}

/* ------------------------------------------------------------------ */

hubtok_code
hubtok__json_parse(const char *text, size_t len, cJSON **out,
                   hubtok_error *err)
{
  const char *end = NULL;
  cJSON *root;

  *out = NULL;
  if(!text)
    return hubtok__set_error(err, HUBTOK_EINVAL, "JSON text is NULL");
  if(len > HUBTOK__JSON_MAX)
    return hubtok__set_error(err, HUBTOK_ETOOLARGE,
                             "tokenizer.json is %zu bytes; the limit is %zu",
                             len, HUBTOK__JSON_MAX);
  root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
  if(!root) {
    size_t pos = 0;
    hubtok_code rc;
    if(end && end >= text && end <= text + len)
      pos = (size_t)(end - text);
    rc = hubtok__set_error(err, HUBTOK_EJSON,
                           "malformed JSON near byte %zu", pos);
    if(err)
      err->pos = pos;
    return rc;
  }
  /* Only whitespace may follow the value (cJSON stops at its end). */
  if(end && end >= text && end <= text + len) {
    const char *p = end;
    while(p < text + len && (*p == ' ' || *p == '\t' || *p == '\n' ||
                             *p == '\r'))
      p++;
    if(p < text + len && *p) {
      hubtok_code rc;
      cJSON_Delete(root);
      rc = hubtok__set_error(err, HUBTOK_EJSON,
                             "trailing characters after JSON at byte %zu",
                             (size_t)(p - text));
      if(err)
        err->pos = (size_t)(p - text);
      return rc;
    }
  }
  *out = root;
  return HUBTOK_OK;
}

/* Append s[0..len) to the path dst[0..n), cut to HUBTOK__PATH_MAX - 1
 * bytes as snprintf cuts; the new length. */
static size_t
path_add(char *dst, size_t n, const char *s, size_t len)
{
  if(len > HUBTOK__PATH_MAX - 1 - n)
    len = HUBTOK__PATH_MAX - 1 - n;
  memcpy(dst + n, s, len);
  dst[n + len] = 0;
  return n + len;
}

void
hubtok__json_path(char *dst, const char *parent, const char *key)
{
  size_t n = 0;

  /* what snprintf "%s.%s" would write, without its cost: paths are made
   * for every value read, and whisper has 1607 added tokens */
  if(parent && parent[0]) {
    n = path_add(dst, 0, parent, strlen(parent));
    n = path_add(dst, n, ".", 1);
  }
  path_add(dst, n, key, strlen(key));
}

void
hubtok__json_path_index(char *dst, const char *parent, size_t i)
{
  char digits[24];
  size_t k = sizeof(digits), n;

  digits[--k] = ']';
  do
    digits[--k] = (char)('0' + i % 10);
  while(i /= 10);
  digits[--k] = '[';
  n = path_add(dst, 0, parent, strlen(parent));
  path_add(dst, n, digits + k, sizeof(digits) - k);
}

const cJSON *
hubtok__json_get(const cJSON *obj, const char *key)
{
  if(!obj || !cJSON_IsObject(obj))
    return NULL;
  return cJSON_GetObjectItemCaseSensitive(obj, key);
}

int
hubtok__json_is_null(const cJSON *v)
{
  return !v || cJSON_IsNull(v);
}

hubtok_code
hubtok__json_bad(hubtok_error *err, const char *path, const char *what)
{
  return hubtok__set_error(err, HUBTOK_ETOKENIZER, "%s: %s",
                           path && path[0] ? path : "(root)", what);
}

hubtok_code
hubtok__json_object(const cJSON *v, const char *path, hubtok_error *err)
{
  if(!v || !cJSON_IsObject(v))
    return hubtok__json_bad(err, path, "expected an object");
  return HUBTOK_OK;
}

hubtok_code
hubtok__json_as_str(const cJSON *v, const char *path, const char **out,
                    size_t *len, hubtok_error *err)
{
  size_t n;

  if(!v || !cJSON_IsString(v) || !v->valuestring)
    return hubtok__json_bad(err, path, "expected a string");
  n = strlen(v->valuestring);
  if(!hubtok__utf8_valid(v->valuestring, n))
    return hubtok__json_bad(err, path, "string is not valid UTF-8");
  *out = v->valuestring;
  if(len)
    *len = n;
  return HUBTOK_OK;
}

hubtok_code
hubtok__json_as_u32(const cJSON *v, const char *path, uint32_t *out,
                    hubtok_error *err)
{
  double d;

  if(!v || !cJSON_IsNumber(v))
    return hubtok__json_bad(err, path, "expected an integer");
  d = v->valuedouble;
  if(!(d >= 0) || d > 4294967295.0 || floor(d) != d)
    return hubtok__json_bad(err, path,
                            "expected an integer in [0, 4294967295]");
  *out = (uint32_t)d;
  return HUBTOK_OK;
}

hubtok_code
hubtok__json_str(const cJSON *obj, const char *path, const char *key,
                 int required, const char **out, size_t *len,
                 hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *v = hubtok__json_get(obj, key);

  hubtok__json_path(p, path, key);
  if(hubtok__json_is_null(v)) {
    *out = NULL;
    if(len)
      *len = 0;
    if(required)
      return hubtok__json_bad(err, p, "missing required string");
    return HUBTOK_OK;
  }
  return hubtok__json_as_str(v, p, out, len, err);
}

hubtok_code
hubtok__json_bool(const cJSON *obj, const char *path, const char *key,
                  int dflt, int *out, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *v = hubtok__json_get(obj, key);

  if(hubtok__json_is_null(v)) {
    *out = dflt;
    return HUBTOK_OK;
  }
  if(!cJSON_IsBool(v)) {
    hubtok__json_path(p, path, key);
    return hubtok__json_bad(err, p, "expected a boolean");
  }
  *out = cJSON_IsTrue(v) ? 1 : 0;
  return HUBTOK_OK;
}

hubtok_code
hubtok__json_bool_req(const cJSON *obj, const char *path, const char *key,
                      int *out, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];

  if(!hubtok__json_get(obj, key)) {
    hubtok__json_path(p, path, key);
    return hubtok__json_bad(err, p, "missing field");
  }
  if(!cJSON_IsBool(hubtok__json_get(obj, key))) {
    hubtok__json_path(p, path, key);
    return hubtok__json_bad(err, p, "expected a boolean");
  }
  return hubtok__json_bool(obj, path, key, 0, out, err);
}

hubtok_code
hubtok__json_u32(const cJSON *obj, const char *path, const char *key,
                 int required, uint32_t dflt, uint32_t *out,
                 hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *v = hubtok__json_get(obj, key);

  hubtok__json_path(p, path, key);
  if(hubtok__json_is_null(v)) {
    if(required)
      return hubtok__json_bad(err, p, "missing required integer");
    *out = dflt;
    return HUBTOK_OK;
  }
  return hubtok__json_as_u32(v, p, out, err);
}

hubtok_code
hubtok__json_array(const cJSON *obj, const char *path, const char *key,
                   const cJSON **out, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *v = hubtok__json_get(obj, key);

  if(!v || !cJSON_IsArray(v)) {
    hubtok__json_path(p, path, key);
    return hubtok__json_bad(err, p, v ? "expected an array" :
                            "missing required array");
  }
  *out = v;
  return HUBTOK_OK;
}

hubtok_code
hubtok__json_type(const cJSON *obj, const char *path, const char **type,
                  hubtok_error *err)
{
  hubtok_code rc;

  rc = hubtok__json_object(obj, path, err);
  if(rc)
    return rc;
  return hubtok__json_str(obj, path, "type", 1, type, NULL, err);
}

hubtok_code
hubtok__json_unsupported(hubtok_error *err, const char *path,
                         const char *stage, const char *type)
{
  return hubtok__set_error(err, HUBTOK_EUNSUPPORTED,
                           "%s: %s type \"%.64s\" is not supported",
                           path && path[0] ? path : "(root)", stage, type);
}
