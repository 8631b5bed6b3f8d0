/*
 * strip.c: the Strip and StripAccents normalizers (tokenizers/src/
 * normalizers/strip.rs). Strip removes leading and/or trailing
 * whitespace with NormalizedString::lstrip/rstrip/strip; StripAccents
 * filters out combining marks (Mn, Mc, Me).
 */
#include "normalizers/normalizer.h"
#include "util/json.h"
#include "util/unicode.h"

#include <stdlib.h>

typedef struct strip {
  hubtok__normalizer base;
  int left;
  int right;
} strip;

static hubtok_code
strip_normalize(const hubtok__normalizer *n, hubtok__nstr *ns,
                hubtok_error *err)
{
  const strip *s = (const strip *)n;
  hubtok_code rc = HUBTOK_OK;

  if(s->left && s->right) {
    rc = hubtok__nstr_lrstrip(ns, 1, 1);
  }
  else {
    if(s->left)
      rc = hubtok__nstr_lrstrip(ns, 1, 0);
    if(!rc && s->right)
      rc = hubtok__nstr_lrstrip(ns, 0, 1);
  }
  if(rc)
    return hubtok__set_error(err, rc, "Strip: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
strip_memory(const hubtok__normalizer *n)
{
  (void)n;
  return sizeof(strip);
}

static void
strip_destroy(hubtok__normalizer *n)
{
  free(n);
}

static const hubtok__normalizer_ops strip_ops = {
  strip_normalize, strip_memory, strip_destroy
};

/* A bool member serde requires. */
static hubtok_code
need_bool(const cJSON *j, const char *path, const char *key, int *out,
          hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];

  if(hubtok__json_is_null(hubtok__json_get(j, key))) {
    hubtok__json_path(p, path, key);
    return hubtok__json_bad(err, p, "missing field");
  }
  return hubtok__json_bool(j, path, key, 0, out, err);
}

hubtok_code
hubtok__strip_normalizer_from_json(const cJSON *j, const char *path,
                                   hubtok__normalizer **out,
                                   hubtok_error *err)
{
  int left, right;
  strip *s;
  hubtok_code rc;

  rc = need_bool(j, path, "strip_left", &left, err);
  if(!rc)
    rc = need_bool(j, path, "strip_right", &right, err);
  if(rc)
    return rc;
  s = calloc(1, sizeof(*s));
  if(!s)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  s->base.ops = &strip_ops;
  s->left = left;
  s->right = right;
  *out = &s->base;
  return HUBTOK_OK;
}

/* ---- StripAccents ----------------------------------------------------- */

static int
not_mark(uint32_t cp, const void *ctx)
{
  (void)ctx;
  return !hubtok__uni_is_combining_mark(cp);
}

static hubtok_code
accents_normalize(const hubtok__normalizer *n, hubtok__nstr *ns,
                  hubtok_error *err)
{
  hubtok_code rc = hubtok__nstr_filter(ns, not_mark, NULL);

  (void)n;
  if(rc)
    return hubtok__set_error(err, rc, "StripAccents: %s",
                             hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
accents_memory(const hubtok__normalizer *n)
{
  (void)n;
  return sizeof(hubtok__normalizer);
}

static const hubtok__normalizer_ops accents_ops = {
  accents_normalize, accents_memory, strip_destroy
};

hubtok_code
hubtok__strip_accents_from_json(const cJSON *j, const char *path,
                                hubtok__normalizer **out,
                                hubtok_error *err)
{
  hubtok__normalizer *n;

  (void)j;
  (void)path;
  n = calloc(1, sizeof(*n));
  if(!n)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  n->ops = &accents_ops;
  *out = n;
  return HUBTOK_OK;
}
