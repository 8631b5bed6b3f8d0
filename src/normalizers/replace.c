/*
 * replace.c: the Replace normalizer (tokenizers/src/normalizers/
 * replace.rs): every match of a String or Regex pattern becomes
 * `content`; the new bytes are aligned with the last byte of the match.
 * The same JSON shape is the Replace decoder (decoders/replace.c).
 */
#include "normalizers/normalizer.h"
#include "util/json.h"
#include "util/regex.h"

#include <stdlib.h>
#include <string.h>

typedef struct replace {
  hubtok__normalizer base;
  hubtok__pattern pattern;
  char *content;
  size_t content_len;
} replace;

static hubtok_code
replace_normalize(const hubtok__normalizer *n, hubtok__nstr *ns,
                  hubtok_error *err)
{
  const replace *r = (const replace *)n;
  hubtok__spans m;
  hubtok_code rc;

  memset(&m, 0, sizeof(m));
  rc = hubtok__pattern_find(&r->pattern, ns->s, ns->len, &m, err);
  if(!rc) {
    rc = hubtok__nstr_replace(ns, m.v, m.n, r->content, r->content_len);
    if(rc)
      hubtok__set_error(err, rc, "Replace: %s", hubtok_strerror(rc));
  }
  hubtok__spans_free(&m);
  return rc;
}

static size_t
replace_memory(const hubtok__normalizer *n)
{
  const replace *r = (const replace *)n;
  return sizeof(*r) + r->content_len + r->pattern.len;
}

static void
replace_destroy(hubtok__normalizer *n)
{
  replace *r = (replace *)n;

  hubtok__pattern_free(&r->pattern);
  free(r->content);
  free(r);
}

hubtok_code
hubtok__replace_pattern_from_json(const cJSON *j, const char *path,
                                  hubtok__pattern *pattern, char **content,
                                  size_t *content_len, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  char sp[HUBTOK__PATH_MAX];
  const cJSON *pat, *str, *re;
  const char *s, *c;
  size_t len, clen;
  hubtok_code rc;

  *content = NULL;
  rc = hubtok__json_object(j, path, err);
  if(rc)
    return rc;
  rc = hubtok__json_str(j, path, "content", 1, &c, &clen, err);
  if(rc)
    return rc;
  hubtok__json_path(p, path, "pattern");
  pat = hubtok__json_get(j, "pattern");
  if(!pat || !cJSON_IsObject(pat) || cJSON_GetArraySize(pat) != 1)
    return hubtok__json_bad(err, p, "expected {\"String\": ...} or "
                            "{\"Regex\": ...}");
  str = hubtok__json_get(pat, "String");
  re = hubtok__json_get(pat, "Regex");
  if(str) {
    hubtok__json_path(sp, p, "String");
    rc = hubtok__json_as_str(str, sp, &s, &len, err);
    if(!rc)
      rc = hubtok__pattern_string(pattern, s, len, err);
  }
  else if(re) {
    hubtok__json_path(sp, p, "Regex");
    rc = hubtok__json_as_str(re, sp, &s, &len, err);
    if(!rc)
      rc = hubtok__pattern_regex(pattern, s, len, sp, err);
  }
  else {
    rc = hubtok__json_bad(err, p, "expected {\"String\": ...} or "
                          "{\"Regex\": ...}");
  }
  if(rc)
    return rc;
  *content = malloc(clen + 1);
  if(!*content) {
    hubtok__pattern_free(pattern);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  memcpy(*content, c, clen + 1);
  *content_len = clen;
  return HUBTOK_OK;
}

static const hubtok__normalizer_ops replace_ops = {
  replace_normalize, replace_memory, replace_destroy
};

hubtok_code
hubtok__replace_normalizer_from_json(const cJSON *j, const char *path,
                                     hubtok__normalizer **out,
                                     hubtok_error *err)
{
  replace *r;
  hubtok_code rc;

  r = calloc(1, sizeof(*r));
  if(!r)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  r->base.ops = &replace_ops;
  rc = hubtok__replace_pattern_from_json(j, path, &r->pattern, &r->content,
                                 &r->content_len, err);
  if(rc) {
    free(r);
    return rc;
  }
  *out = &r->base;
  return HUBTOK_OK;
}
