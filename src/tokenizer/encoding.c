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
hubtok__enc_init(hubtok__enc *enc, int ids_only)
{
  memset(enc, 0, sizeof(*enc));
  hubtok__buf_init(&enc->toks, TOKENS_MAX);
  enc->ids_only = ids_only;
}

/* The per-token arrays share one block (one allocation per growth, one
 * free), laid out by alignment: offsets, token_off, ids, type_ids,
 * word_ids, special_mask, seq_ids. offsets is the block's base. */
static size_t
block_size(size_t cap)
{
  return (3 * cap + 1) * sizeof(size_t) +
         cap * (2 * sizeof(uint32_t) + sizeof(int32_t) + 2);
}

static void
block_carve(hubtok_encoding *e, char *p, size_t cap)
{
  e->offsets = (size_t *)(void *)p;
  p += 2 * cap * sizeof(size_t);
  e->token_off = (size_t *)(void *)p;
  p += (cap + 1) * sizeof(size_t);
  e->ids = (uint32_t *)(void *)p;
  p += cap * sizeof(uint32_t);
  e->type_ids = (uint32_t *)(void *)p;
  p += cap * sizeof(uint32_t);
  e->word_ids = (int32_t *)(void *)p;
  p += cap * sizeof(int32_t);
  e->special_mask = (uint8_t *)p;
  p += cap;
  e->seq_ids = (int8_t *)p;
}

static void
free_arrays(hubtok_encoding *e)
{
  free(e->offsets ? (void *)e->offsets : e->ids); /* the block, or ids */
  free(e->tokens);
}

/* reserve() of an ids-only encoding: the ids are the only array. */
static hubtok_code
reserve_ids(hubtok__enc *enc, size_t more)
{
  hubtok_encoding *e = &enc->e;
  size_t ncap;
  uint32_t *p;

  if(e->n + more <= enc->cap && e->ids)
    return HUBTOK_OK;
  ncap = enc->cap ? enc->cap : 64;
  while(ncap < e->n + more)
    ncap *= 2;
  p = realloc(e->ids, ncap * sizeof(*p));
  if(!p)
    return HUBTOK_ENOMEM;
  e->ids = p;
  enc->cap = ncap;
  return HUBTOK_OK;
}

void
hubtok__enc_free(hubtok__enc *enc)
{
  enc->e.tokens = NULL; /* lives in toks */
  free_arrays(&enc->e);
  hubtok__buf_free(&enc->toks);
  memset(enc, 0, sizeof(*enc));
}

static hubtok_code
reserve(hubtok__enc *enc, size_t more)
{
  hubtok_encoding *e = &enc->e;
  hubtok_encoding ne;
  size_t ncap, n = e->n;
  char *blk;

  if(more > HUBTOK__ENC_MAX - e->n)
    return HUBTOK_ETOOLARGE;
  if(enc->ids_only)
    return reserve_ids(enc, more);
  if(e->n + more <= enc->cap && e->token_off)
    return HUBTOK_OK;
  ncap = enc->cap ? enc->cap : 16;
  while(ncap < e->n + more)
    ncap *= 2;
  blk = malloc(block_size(ncap));
  if(!blk)
    return HUBTOK_ENOMEM;
  block_carve(&ne, blk, ncap);
  if(enc->cap) {
    memcpy(ne.offsets, e->offsets, 2 * n * sizeof(size_t));
    memcpy(ne.token_off, e->token_off, (n + 1) * sizeof(size_t));
    memcpy(ne.ids, e->ids, n * sizeof(uint32_t));
    memcpy(ne.type_ids, e->type_ids, n * sizeof(uint32_t));
    memcpy(ne.word_ids, e->word_ids, n * sizeof(int32_t));
    memcpy(ne.special_mask, e->special_mask, n);
    memcpy(ne.seq_ids, e->seq_ids, n);
  }
  else
    ne.token_off[0] = 0;
  free(e->offsets);
  e->offsets = ne.offsets;
  e->token_off = ne.token_off;
  e->ids = ne.ids;
  e->type_ids = ne.type_ids;
  e->word_ids = ne.word_ids;
  e->special_mask = ne.special_mask;
  e->seq_ids = ne.seq_ids;
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
  if(enc->ids_only) {
    e->ids[e->n++] = id;
    return HUBTOK_OK;
  }
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
  hubtok_encoding *d = &dst->e;
  size_t i, n0 = d->n, base = dst->toks.len;
  hubtok_code rc;

  rc = reserve(dst, s->n);
  if(!rc && dst->ids_only) {
    if(s->n)
      memcpy(d->ids + n0, s->ids, s->n * sizeof(uint32_t));
    d->n += s->n;
    return HUBTOK_OK;
  }
  if(!rc && s->n)
    rc = hubtok__buf_add(&dst->toks, src->toks.p, s->token_off[s->n]);
  if(rc)
    return rc;
  if(!s->n)
    return HUBTOK_OK;
  memcpy(d->ids + n0, s->ids, s->n * sizeof(uint32_t));
  memcpy(d->special_mask + n0, s->special_mask, s->n);
  memcpy(d->word_ids + n0, s->word_ids, s->n * sizeof(int32_t));
  memcpy(d->offsets + 2 * n0, s->offsets, 2 * s->n * sizeof(size_t));
  for(i = 0; i < s->n; i++) {
    d->type_ids[n0 + i] = type_id;
    d->seq_ids[n0 + i] = seq;
    d->token_off[n0 + i + 1] = base + s->token_off[i + 1];
  }
  d->n += s->n;
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
  r->tokens = enc->ids_only ? NULL : hubtok__buf_take(&enc->toks, NULL);
  if(!r->tokens && !enc->ids_only) {
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
