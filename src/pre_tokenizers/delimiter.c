/*
 * delimiter.c: the CharDelimiterSplit pre-tokenizer (tokenizers/src/
 * pre_tokenizers/delimiter.rs): split on one char, which is removed.
 */
#include "pre_tokenizers/pre_tokenizer.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdlib.h>

typedef struct delim {
  hubtok__pre_tokenizer base;
  uint32_t cp;
} delim;

static int
is_delim(uint32_t cp, const void *ctx)
{
  return cp == ((const delim *)ctx)->cp;
}

static hubtok_code
split_one(const void *ctx, size_t i, hubtok__nstr *ns, hubtok__pretok *out,
          hubtok_error *err)
{
  (void)i;
  return hubtok__nstr_split_chars(ns, is_delim, ctx, HUBTOK__SPLIT_REMOVED,
                                  out, err);
}

static hubtok_code
delim_pre_tokenize(const hubtok__pre_tokenizer *p, hubtok__pretok *pt,
                   hubtok_error *err)
{
  return hubtok__pretok_split(pt, split_one, p, err);
}

static size_t
delim_memory(const hubtok__pre_tokenizer *p)
{
  (void)p;
  return sizeof(delim);
}

static void
delim_destroy(hubtok__pre_tokenizer *p)
{
  free(p);
}

static const hubtok__pre_tokenizer_ops delim_ops = {
  delim_pre_tokenize, delim_memory, delim_destroy, NULL
};

hubtok_code
hubtok__char_delimiter_from_json(const cJSON *j, const char *path,
                                 hubtok__pre_tokenizer **out,
                                 hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const char *s;
  size_t len, clen = 0;
  uint32_t cp = 0;
  delim *d;
  hubtok_code rc;

  rc = hubtok__json_str(j, path, "delimiter", 1, &s, &len, err);
  if(rc)
    return rc;
  if(len)
    cp = hubtok__utf8_decode(s, len, &clen);
  if(!len || clen != len) {
    hubtok__json_path(p, path, "delimiter");
    return hubtok__json_bad(err, p, "expected a single character");
  }
  d = calloc(1, sizeof(*d));
  if(!d)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  d->base.ops = &delim_ops;
  d->cp = cp;
  *out = &d->base;
  return HUBTOK_OK;
}
