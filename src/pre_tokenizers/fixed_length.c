/*
 * fixed_length.c: the FixedLength pre-tokenizer (tokenizers/src/
 * pre_tokenizers/fixed_length.rs): each piece is cut into chunks of
 * `length` chars (default 5). A length of 0 makes every encode fail, as
 * in Rust.
 */
#include "pre_tokenizers/pre_tokenizer.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdlib.h>

typedef struct fixed {
  hubtok__pre_tokenizer base;
  uint32_t length;
} fixed;

static hubtok_code
split_one(const void *ctx, size_t i, hubtok__nstr *ns, hubtok__pretok *out,
          hubtok_error *err)
{
  const fixed *f = ctx;
  size_t pos = 0;
  hubtok_code rc = HUBTOK_OK;

  (void)i;
  while(pos < ns->len && !rc) {
    hubtok__nstr piece;
    size_t end = pos, k;
    for(k = 0; k < f->length && end < ns->len; k++) {
      size_t l = hubtok__utf8_len((unsigned char)ns->s[end]);
      end += l ? l : 1;
    }
    rc = hubtok__nstr_slice(ns, pos, end, &piece);
    if(!rc)
      rc = hubtok__pretok_push(out, &piece, 0, 0);
    if(rc)
      return hubtok__set_error(err, rc, "FixedLength: %s",
                               hubtok_strerror(rc));
    pos = end;
  }
  return HUBTOK_OK;
}

static hubtok_code
fixed_pre_tokenize(const hubtok__pre_tokenizer *p, hubtok__pretok *pt,
                   hubtok_error *err)
{
  if(((const fixed *)p)->length == 0)
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "FixedLength pre-tokenizer length must be "
                             "greater than 0");
  return hubtok__pretok_split(pt, split_one, p, err);
}

static size_t
fixed_memory(const hubtok__pre_tokenizer *p)
{
  (void)p;
  return sizeof(fixed);
}

static void
fixed_destroy(hubtok__pre_tokenizer *p)
{
  free(p);
}

static const hubtok__pre_tokenizer_ops fixed_ops = {
  fixed_pre_tokenize, fixed_memory, fixed_destroy, NULL
};

hubtok_code
hubtok__fixed_length_from_json(const cJSON *j, const char *path,
                               hubtok__pre_tokenizer **out,
                               hubtok_error *err)
{
  uint32_t length;
  fixed *f;
  hubtok_code rc;

  rc = hubtok__json_u32(j, path, "length", 0, 5, &length, err);
  if(rc)
    return rc;
  f = calloc(1, sizeof(*f));
  if(!f)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  f->base.ops = &fixed_ops;
  f->length = length;
  *out = &f->base;
  return HUBTOK_OK;
}
