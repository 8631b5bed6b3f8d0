/*
 * punctuation.c: the Punctuation pre-tokenizer (tokenizers/src/
 * pre_tokenizers/punctuation.rs): split on punctuation chars (as
 * BertPreTokenizer: ASCII punctuation or unicode_categories' P*) with
 * the given behavior ("Isolated" when absent).
 */
#include "pre_tokenizers/pre_tokenizer.h"
#include "util/json.h"
#include "util/unicode.h"

#include <stdlib.h>

typedef struct punct {
  hubtok__pre_tokenizer base;
  hubtok__split_behavior behavior;
} punct;

static int
is_punc(uint32_t cp, const void *ctx)
{
  (void)ctx;
  return hubtok__uni_is_punctuation(cp);
}

static hubtok_code
split_one(const void *ctx, size_t i, hubtok__nstr *ns, hubtok__pretok *out,
          hubtok_error *err)
{
  const punct *p = ctx;

  (void)i;
  return hubtok__nstr_split_chars(ns, is_punc, NULL, p->behavior, out, err);
}

static hubtok_code
punct_pre_tokenize(const hubtok__pre_tokenizer *p, hubtok__pretok *pt,
                   hubtok_error *err)
{
  return hubtok__pretok_split(pt, split_one, p, err);
}

static size_t
punct_memory(const hubtok__pre_tokenizer *p)
{
  (void)p;
  return sizeof(punct);
}

static void
punct_destroy(hubtok__pre_tokenizer *p)
{
  free(p);
}

static const hubtok__pre_tokenizer_ops punct_ops = {
  punct_pre_tokenize, punct_memory, punct_destroy, NULL
};

hubtok_code
hubtok__punctuation_pre_from_json(const cJSON *j, const char *path,
                                  hubtok__pre_tokenizer **out,
                                  hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  hubtok__split_behavior b = HUBTOK__SPLIT_ISOLATED;
  const char *name;
  punct *pu;
  hubtok_code rc;

  rc = hubtok__json_str(j, path, "behavior", 0, &name, NULL, err);
  if(rc)
    return rc;
  if(name && !hubtok__split_behavior_parse(name, &b)) {
    hubtok__json_path(p, path, "behavior");
    return hubtok__json_bad(err, p, "unknown split behavior");
  }
  pu = calloc(1, sizeof(*pu));
  if(!pu)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  pu->base.ops = &punct_ops;
  pu->behavior = b;
  *out = &pu->base;
  return HUBTOK_OK;
}
