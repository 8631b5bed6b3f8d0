/*
 * encoding.c: building hubtok_encoding (ids, type_ids, special_mask,
 * seq_ids, word_ids, offsets, tokens), as Encoding in
 * tokenizers/src/tokenizer/encoding.rs.
 */
#include "tokenizer/encoding.h"

#include <stdlib.h>
#include <string.h>

#define TOKENS_MAX ((size_t)1 << 31)

void
hubtok__enc_init(hubtok__enc *enc)
{
  memset(enc, 0, sizeof(*enc));
  hubtok__buf_init(&enc->toks, TOKENS_MAX);
}

static void
free_arrays(hubtok_encoding *e)
{
  free(e->ids);
  free(e->type_ids);
  free(e->special_mask);
  free(e->seq_ids);
  free(e->word_ids);
  free(e->offsets);
  free(e->tokens);
  free(e->token_off);
}

void
hubtok__enc_free(hubtok__enc *enc)
{
  enc->e.tokens = NULL; /* lives in toks */
  free_arrays(&enc->e);
  hubtok__buf_free(&enc->toks);
  memset(enc, 0, sizeof(*enc));
}

#define GROW(field, n)                                              \
  do {                                                              \
    void *np_ = realloc(e->field, (n) * sizeof(*e->field));         \
    if(!np_)                                                        \
      return HUBTOK_ENOMEM;                                         \
    e->field = np_;                                                 \
  } while(0)

static hubtok_code
reserve(hubtok__enc *enc, size_t more)
{
  hubtok_encoding *e = &enc->e;
  size_t ncap;

  if(more > HUBTOK__ENC_MAX - e->n)
    return HUBTOK_ETOOLARGE;
  if(e->n + more <= enc->cap && e->token_off)
    return HUBTOK_OK;
  ncap = enc->cap ? enc->cap : 16;
  while(ncap < e->n + more)
    ncap *= 2;
  GROW(ids, ncap);
  GROW(type_ids, ncap);
  GROW(special_mask, ncap);
  GROW(seq_ids, ncap);
  GROW(word_ids, ncap);
  GROW(offsets, 2 * ncap);
  GROW(token_off, ncap + 1);
  if(!enc->cap)
    e->token_off[0] = 0;
  enc->cap = ncap;
  return HUBTOK_OK;
}

hubtok_code
hubtok__enc_push(hubtok__enc *enc, uint32_t id, const char *tok,
                 size_t tok_len, uint32_t type_id, uint8_t special,
                 int8_t seq, int32_t word, size_t start, size_t end)
{
  hubtok_encoding *e = &enc->e;
  hubtok_code rc;
  size_t i;

  rc = reserve(enc, 1);
  if(rc)
    return rc;
  rc = hubtok__buf_add(&enc->toks, tok, tok_len);
  if(rc)
    return rc;
  i = e->n++;
  e->ids[i] = id;
  e->type_ids[i] = type_id;
  e->special_mask[i] = special;
  e->seq_ids[i] = seq;
  e->word_ids[i] = word;
  e->offsets[2 * i] = start;
  e->offsets[2 * i + 1] = end;
  e->token_off[i + 1] = enc->toks.len;
  return HUBTOK_OK;
}

hubtok_code
hubtok__enc_append(hubtok__enc *dst, const hubtok__enc *src,
                   uint32_t type_id, int8_t seq)
{
  const hubtok_encoding *s = &src->e;
  size_t i;

  for(i = 0; i < s->n; i++) {
    hubtok_code rc;
    size_t a = s->token_off[i], b = s->token_off[i + 1];
    rc = hubtok__enc_push(dst, s->ids[i], src->toks.p + a, b - a, type_id,
                          s->special_mask[i], seq, s->word_ids[i],
                          s->offsets[2 * i], s->offsets[2 * i + 1]);
    if(rc)
      return rc;
  }
  return HUBTOK_OK;
}

hubtok_code
hubtok__enc_finish(hubtok__enc *enc, hubtok_encoding **out)
{
  hubtok_encoding *r;
  hubtok_code rc;

  *out = NULL;
  rc = reserve(enc, 0);
  if(rc)
    return rc;
  r = malloc(sizeof(*r));
  if(!r)
    return HUBTOK_ENOMEM;
  *r = enc->e;
  r->tokens = hubtok__buf_take(&enc->toks, NULL);
  if(!r->tokens) {
    free(r);
    return HUBTOK_ENOMEM;
  }
  memset(&enc->e, 0, sizeof(enc->e));
  enc->cap = 0;
  *out = r;
  return HUBTOK_OK;
}

void
hubtok_encoding_free(hubtok_encoding *enc)
{
  if(!enc)
    return;
  free_arrays(enc);
  free(enc);
}
