/*
 * bert.c: the BertPreTokenizer (tokenizers/src/pre_tokenizers/bert.rs):
 * split on whitespace (char::is_whitespace, removed), then isolate every
 * punctuation char (ASCII punctuation or a P* category of the
 * unicode_categories crate, util/unicode.c).
 */
#include "pre_tokenizers/pre_tokenizer.h"
#include "util/json.h"
#include "util/unicode.h"

#include <stdlib.h>

static int
is_ws(uint32_t cp, const void *ctx)
{
  (void)ctx;
  return hubtok__uni_is_whitespace(cp);
}

static int
is_punc(uint32_t cp, const void *ctx)
{
  (void)ctx;
  return hubtok__uni_is_punctuation(cp);
}

static hubtok_code
split_ws(const void *ctx, size_t i, hubtok__nstr *ns, hubtok__pretok *out,
         hubtok_error *err)
{
  (void)ctx;
  (void)i;
  return hubtok__nstr_split_chars(ns, is_ws, NULL, HUBTOK__SPLIT_REMOVED,
                                  out, err);
}

static hubtok_code
split_punc(const void *ctx, size_t i, hubtok__nstr *ns, hubtok__pretok *out,
           hubtok_error *err)
{
  (void)ctx;
  (void)i;
  return hubtok__nstr_split_chars(ns, is_punc, NULL, HUBTOK__SPLIT_ISOLATED,
                                  out, err);
}

static hubtok_code
bert_pre_tokenize(const hubtok__pre_tokenizer *p, hubtok__pretok *pt,
                  hubtok_error *err)
{
  hubtok_code rc = hubtok__pretok_split(pt, split_ws, p, err);

  if(!rc)
    rc = hubtok__pretok_split(pt, split_punc, p, err);
  return rc;
}

static size_t
bert_memory(const hubtok__pre_tokenizer *p)
{
  (void)p;
  return sizeof(hubtok__pre_tokenizer);
}

static void
bert_destroy(hubtok__pre_tokenizer *p)
{
  free(p);
}

/* bert_pre_tokenize's words in one scan: the runs of chars that are
 * neither whitespace nor punctuation, and each punctuation char. */
static hubtok__char_role
bert_role(uint32_t cp, const void *ctx)
{
  (void)ctx;
  if(hubtok__uni_is_whitespace(cp))
    return HUBTOK__CHAR_GAP;
  return hubtok__uni_is_punctuation(cp) ? HUBTOK__CHAR_ALONE
                                        : HUBTOK__CHAR_IN;
}

static hubtok_code
bert_words(const void *ctx, const char *s, size_t len, hubtok__spans *out,
           hubtok_error *err)
{
  return hubtok__char_words(s, len, bert_role, ctx, out, err);
}

static int
bert_plan(const hubtok__pre_tokenizer *p, hubtok__word_plan *io)
{
  (void)p;
  if(io->words || io->byte_level)
    return 0;
  io->words = bert_words;
  io->ctx = NULL;
  return 1;
}

static const hubtok__pre_tokenizer_ops bert_ops = {
  bert_pre_tokenize, bert_memory, bert_destroy, bert_plan
};

hubtok_code
hubtok__bert_pre_from_json(const cJSON *j, const char *path,
                           hubtok__pre_tokenizer **out, hubtok_error *err)
{
  hubtok__pre_tokenizer *p;

  (void)j;
  (void)path;
  p = calloc(1, sizeof(*p));
  if(!p)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  p->ops = &bert_ops;
  *out = p;
  return HUBTOK_OK;
}
