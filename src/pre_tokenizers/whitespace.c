/*
 * whitespace.c: the Whitespace pre-tokenizer (tokenizers/src/
 * pre_tokenizers/whitespace.rs): the pieces are the matches of
 * \w+|[^\w\s]+ (everything else, whitespace, is removed). Rust runs that
 * pattern with the `regex` crate, whose Unicode \w is Alphabetic, M, Nd,
 * Pc and Join_Control and \s is White_Space (UTS #18 annex C); Oniguruma's
 * \w differs, so the classes are spelled out for it here.
 */
#include "pre_tokenizers/pre_tokenizer.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

#define WORD "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}"
static const char PATTERN[] =
  "[" WORD "]+|[^" WORD "\\p{White_Space}]+";

typedef struct whitespace {
  hubtok__pre_tokenizer base;
  hubtok__pattern re;
} whitespace;

static hubtok_code
split_one(const void *ctx, size_t i, hubtok__nstr *ns, hubtok__pretok *out,
          hubtok_error *err)
{
  const whitespace *w = ctx;

  (void)i;
  return hubtok__nstr_split_pattern(ns, &w->re, 1, HUBTOK__SPLIT_REMOVED,
                                    out, err);
}

static hubtok_code
ws_pre_tokenize(const hubtok__pre_tokenizer *p, hubtok__pretok *pt,
                hubtok_error *err)
{
  return hubtok__pretok_split(pt, split_one, p, err);
}

static size_t
ws_memory(const hubtok__pre_tokenizer *p)
{
  (void)p;
  return sizeof(whitespace) + 16 * sizeof(PATTERN);
}

static void
ws_destroy(hubtok__pre_tokenizer *p)
{
  whitespace *w = (whitespace *)p;

  hubtok__pattern_free(&w->re);
  free(w);
}

static const hubtok__pre_tokenizer_ops ws_ops = {
  ws_pre_tokenize, ws_memory, ws_destroy, NULL
};

hubtok_code
hubtok__whitespace_pre_from_json(const cJSON *j, const char *path,
                                 hubtok__pre_tokenizer **out,
                                 hubtok_error *err)
{
  whitespace *w;
  hubtok_code rc;

  (void)j;
  w = calloc(1, sizeof(*w));
  if(!w)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  w->base.ops = &ws_ops;
  rc = hubtok__pattern_regex(&w->re, PATTERN, strlen(PATTERN), path, err);
  if(rc) {
    free(w);
    return rc;
  }
  *out = &w->base;
  return HUBTOK_OK;
}
