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

static const hubtok__pre_tokenizer_ops wss_ops = {
  wss_pre_tokenize, wss_memory, wss_destroy, NULL
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
