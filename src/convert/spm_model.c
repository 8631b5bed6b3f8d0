/*
 * spm_model.c: a small protobuf wire-format reader for SentencePiece's
 * ModelProto (see spm_model.h). Every length is checked against the
 * bytes left; varints are at most 10 bytes; groups are refused.
 */
#include "convert/spm_model.h"
#include "models/model.h"
#include "util/buf.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

typedef struct rd {
  const unsigned char *p;
  const unsigned char *end;
} rd;

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_I32 = 5 };

static int
varint(rd *r, uint64_t *v)
{
  uint64_t x = 0;
  int shift = 0;

  while(r->p < r->end && shift < 70) {
    unsigned char c = *r->p++;
    x |= (uint64_t)(c & 0x7f) << shift;
    if(!(c & 0x80)) {
      *v = x;
      return 1;
    }
    shift += 7;
  }
  return 0;
}

/* Read one field key; *wt and *field. 0 on malformed data. */
static int
key(rd *r, uint32_t *field, int *wt)
{
  uint64_t k;

  if(!varint(r, &k) || (k >> 3) == 0 || (k >> 3) > 0x1fffffff)
    return 0;
  *field = (uint32_t)(k >> 3);
  *wt = (int)(k & 7);
  return 1;
}

/* Skip a field's value, or for WT_LEN set *sub to it. */
static int
value(rd *r, int wt, uint64_t *v, rd *sub)
{
  uint64_t n;

  switch(wt) {
  case WT_VARINT:
    return varint(r, v);
  case WT_I64:
    if(r->end - r->p < 8)
      return 0;
    r->p += 8;
    return 1;
  case WT_I32:
    if(r->end - r->p < 4)
      return 0;
    *v = (uint64_t)r->p[0] | (uint64_t)r->p[1] << 8 |
         (uint64_t)r->p[2] << 16 | (uint64_t)r->p[3] << 24;
    r->p += 4;
    return 1;
  case WT_LEN:
    if(!varint(r, &n) || n > (uint64_t)(r->end - r->p))
      return 0;
    sub->p = r->p;
    sub->end = r->p + n;
    r->p += n;
    return 1;
  default:
    return 0; /* groups (3, 4) and reserved types */
  }
}

static hubtok_code
bad(hubtok_error *err, const char *name, const char *what)
{
  return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                           "%.512s: malformed SentencePiece model (%s)",
                           name, what);
}

static hubtok_code
parse_piece(rd *r, const char *name, hubtok__spm_model *m, hubtok__buf *ar,
            size_t *offs, hubtok_error *err)
{
  hubtok__spm_piece *pc = &m->pieces[m->n];
  int have = 0;
  hubtok_code rc;

  pc->score = 0.0f;
  pc->type = HUBTOK__SPM_NORMAL;
  while(r->p < r->end) {
    uint32_t f;
    int wt;
    uint64_t v = 0;
    rd sub;
    if(!key(r, &f, &wt) || !value(r, wt, &v, &sub))
      return bad(err, name, "piece");
    if(f == 1 && wt == WT_LEN) {
      size_t len = (size_t)(sub.end - sub.p);
      if(!hubtok__utf8_valid((const char *)sub.p, len) ||
         memchr(sub.p, 0, len))
        return bad(err, name, "piece is not valid UTF-8");
      offs[m->n] = ar->len;
      pc->len = len;
      rc = hubtok__buf_add(ar, sub.p, len);
      if(!rc)
        rc = hubtok__buf_addc(ar, 0);
      if(rc)
        return hubtok__set_error(err, rc, "%.512s: %s", name,
                                 hubtok_strerror(rc));
      have = 1;
    }
    else if(f == 2 && wt == WT_I32) {
      uint32_t bits = (uint32_t)v;
      memcpy(&pc->score, &bits, sizeof(bits));
    }
    else if(f == 3 && wt == WT_VARINT)
      pc->type = (int)(v & 0xff);
  }
  if(!have) {
    /* "piece must not be empty": an absent piece reads as "" */
    offs[m->n] = ar->len;
    pc->len = 0;
    rc = hubtok__buf_addc(ar, 0);
    if(rc)
      return hubtok__set_error(err, rc, "%.512s: %s", name,
                               hubtok_strerror(rc));
  }
  m->n++;
  return HUBTOK_OK;
}

static int32_t
as_i32(uint64_t v)
{
  return (int32_t)(uint32_t)v; /* int32 varints are sign-extended */
}

static hubtok_code
parse_trainer(rd *r, const char *name, hubtok__spm_model *m,
              hubtok_error *err)
{
  while(r->p < r->end) {
    uint32_t f;
    int wt;
    uint64_t v = 0;
    rd sub;
    if(!key(r, &f, &wt) || !value(r, wt, &v, &sub))
      return bad(err, name, "trainer_spec");
    if(wt == WT_VARINT) {
      if(f == 3)
        m->model_type = (int)(v & 0xff);
      else if(f == 35)
        m->byte_fallback = v != 0;
      else if(f == 40)
        m->unk_id = as_i32(v);
      else if(f == 41)
        m->bos_id = as_i32(v);
      else if(f == 42)
        m->eos_id = as_i32(v);
      else if(f == 43)
        m->pad_id = as_i32(v);
    }
    else if(wt == WT_LEN && f == 45) {
      size_t len = (size_t)(sub.end - sub.p);
      if(len >= sizeof(m->unk_piece) ||
         !hubtok__utf8_valid((const char *)sub.p, len) ||
         memchr(sub.p, 0, len))
        return bad(err, name, "unk_piece");
      memcpy(m->unk_piece, sub.p, len);
      m->unk_piece[len] = 0;
    }
  }
  return HUBTOK_OK;
}

static hubtok_code
parse_normalizer(rd *r, const char *name, hubtok__spm_model *m,
                 hubtok_error *err)
{
  while(r->p < r->end) {
    uint32_t f;
    int wt;
    uint64_t v = 0;
    rd sub;
    if(!key(r, &f, &wt) || !value(r, wt, &v, &sub))
      return bad(err, name, "normalizer_spec");
    if(f == 2 && wt == WT_LEN) {
      size_t len = (size_t)(sub.end - sub.p);
      free(m->charsmap);
      m->charsmap = NULL;
      m->charsmap_len = 0;
      if(len) {
        m->charsmap = malloc(len);
        if(!m->charsmap)
          return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
        memcpy(m->charsmap, sub.p, len);
        m->charsmap_len = len;
      }
    }
    else if(f == 3 && wt == WT_VARINT)
      m->add_dummy_prefix = v != 0;
  }
  return HUBTOK_OK;
}

void
hubtok__spm_model_free(hubtok__spm_model *m)
{
  if(!m)
    return;
  free(m->pieces);
  free(m->arena);
  free(m->charsmap);
  memset(m, 0, sizeof(*m));
}

hubtok_code
hubtok__spm_model_parse(const unsigned char *data, size_t len,
                        const char *name, hubtok__spm_model *m,
                        hubtok_error *err)
{
  rd r;
  size_t cap = 0, i, *offs = NULL;
  hubtok__buf ar;
  hubtok_code rc = HUBTOK_OK;

  memset(m, 0, sizeof(*m));
  m->model_type = HUBTOK__SPM_UNIGRAM;
  m->unk_id = 0;
  m->bos_id = 1;
  m->eos_id = 2;
  m->pad_id = -1;
  strcpy(m->unk_piece, "<unk>");
  m->add_dummy_prefix = 1;
  if(len > HUBTOK__SPM_FILE_MAX)
    return hubtok__set_error(err, HUBTOK_ETOOLARGE,
                             "%.512s is larger than %zu bytes", name,
                             HUBTOK__SPM_FILE_MAX);
  hubtok__buf_init(&ar, (size_t)1 << 30);
  r.p = data;
  r.end = data + len;
  while(r.p < r.end && !rc) {
    uint32_t f;
    int wt;
    uint64_t v = 0;
    rd sub;
    if(!key(&r, &f, &wt) || !value(&r, wt, &v, &sub)) {
      rc = bad(err, name, "ModelProto");
      break;
    }
    if(wt != WT_LEN)
      continue;
    if(f == 1) {
      if(m->n == cap) {
        size_t ncap = cap ? cap * 2 : 1024;
        hubtok__spm_piece *np;
        size_t *no;
        if(ncap > HUBTOK__VOCAB_MAX) {
          rc = hubtok__set_error(err, HUBTOK_ETOOLARGE,
                                 "%.512s: more than %zu pieces", name,
                                 HUBTOK__VOCAB_MAX);
          break;
        }
        np = realloc(m->pieces, ncap * sizeof(*np));
        if(np)
          m->pieces = np;
        no = np ? realloc(offs, ncap * sizeof(*no)) : NULL;
        if(!np || !no) {
          rc = hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
          break;
        }
        offs = no;
        cap = ncap;
      }
      rc = parse_piece(&sub, name, m, &ar, offs, err);
    }
    else if(f == 2)
      rc = parse_trainer(&sub, name, m, err);
    else if(f == 3)
      rc = parse_normalizer(&sub, name, m, err);
  }
  if(!rc) {
    m->arena = hubtok__buf_take(&ar, NULL);
    if(!m->arena)
      rc = hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  if(!rc) {
    for(i = 0; i < m->n; i++)
      m->pieces[i].s = m->arena + offs[i];
    if(m->n == 0)
      rc = bad(err, name, "no pieces");
  }
  hubtok__buf_free(&ar);
  free(offs);
  if(rc)
    hubtok__spm_model_free(m);
  return rc;
}
