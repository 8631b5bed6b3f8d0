/*
 * whitespace_split.c: the WhitespaceSplit pre-tokenizer (WhitespaceSplit
 * in tokenizers/src/pre_tokenizers/whitespace.rs): splits on every char
 * with Rust's char::is_whitespace (the Unicode White_Space property),
 * removing it.
 */
#include "pre_tokenizers/pre_tokenizer.h"
#include "util/json.h"

#include <stdlib.h>

/* char::is_whitespace: White_Space=yes. */
static int
is_white(uint32_t c, const void *ctx)
{
  (void)ctx;
  if(c == 0x20 || (c >= 0x09 && c <= 0x0D))
    return 1;
  if(c < 0x85)
    return 0;
  return c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

static hubtok_code
split_one(const void *ctx, size_t i, hubtok__nstr *ns, hubtok__pretok *out,
          hubtok_error *err)
{
  (void)ctx;
  (void)i;
  return hubtok__nstr_split_chars(ns, is_white, NULL,
                                  HUBTOK__SPLIT_REMOVED, out, err);
}

static hubtok_code
wss_pre_tokenize(const hubtok__pre_tokenizer *p, hubtok__pretok *pt,
                 hubtok_error *err)
{
  return hubtok__pretok_split(pt, split_one, p, err);
}

static size_t
wss_memory(const hubtok__pre_tokenizer *p)
{
  (void)p;
  return sizeof(hubtok__pre_tokenizer);
}

static void
wss_destroy(hubtok__pre_tokenizer *p)
{
  free(p);
}

/* White_Space chars are gaps; with cut, each cut char starts a word. */
static hubtok__char_role
wss_role(uint32_t cp, const void *cut)
{
  if(is_white(cp, NULL))
    return HUBTOK__CHAR_GAP;
  if(cut && cp == *(const uint32_t *)cut)
    return HUBTOK__CHAR_FIRST;
  return HUBTOK__CHAR_IN;
}

hubtok_code
hubtok__whitespace_words(const void *cut, const char *s, size_t len,
                         hubtok__spans *out, hubtok_error *err)
{
  return hubtok__char_words(s, len, wss_role, cut, out, err);
}

/* A plan's first step. */
static int
wss_plan(const hubtok__pre_tokenizer *p, hubtok__word_plan *io)
{
  (void)p;
  if(io->words || io->byte_level || io->prefix)
    return 0;
  io->words = hubtok__whitespace_words;
  io->ctx = NULL;
  return 1;
}

static const hubtok__pre_tokenizer_ops wss_ops = {
  wss_pre_tokenize, wss_memory, wss_destroy, wss_plan
};

hubtok_code
hubtok__whitespace_split_from_json(const cJSON *j, const char *path,
                                   hubtok__pre_tokenizer **out,
                                   hubtok_error *err)
{
  hubtok__pre_tokenizer *p;

  (void)j; /* no options */
  (void)path;
  *out = NULL;
  p = malloc(sizeof(*p));
  if(!p)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  p->ops = &wss_ops;
  *out = p;
  return HUBTOK_OK;
}
