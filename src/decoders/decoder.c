/*
 * decoder.c: the decoder factory (DecoderWrapper in
 * tokenizers/src/decoders/mod.rs), Sequence (decoders/sequence.rs), the
 * string list the decoders pass along, and the final join.
 */
#include "decoders/decoder.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

void
hubtok__strs_init(hubtok__strs *v)
{
  memset(v, 0, sizeof(*v));
  hubtok__buf_init(&v->data, HUBTOK__DECODE_MAX);
}

void
hubtok__strs_free(hubtok__strs *v)
{
  hubtok__buf_free(&v->data);
  free(v->off);
  v->off = NULL;
  v->n = 0;
  v->cap = 0;
}

hubtok_code
hubtok__strs_push(hubtok__strs *v, const char *s, size_t len)
{
  hubtok_code rc;

  if(v->n + 1 >= v->cap) {
    size_t ncap = v->cap ? v->cap * 2 : 32;
    size_t *no = realloc(v->off, ncap * sizeof(*no));
    if(!no)
      return HUBTOK_ENOMEM;
    v->off = no;
    v->cap = ncap;
    if(v->n == 0)
      v->off[0] = 0;
  }
  rc = hubtok__buf_add(&v->data, s, len);
  if(rc)
    return rc;
  v->n++;
  v->off[v->n] = v->data.len;
  return HUBTOK_OK;
}

hubtok_code
hubtok__strs_extend(hubtok__strs *v, const char *s, size_t len)
{
  hubtok_code rc;

  if(v->n == 0) {
    rc = hubtok__strs_push(v, "", 0);
    if(rc)
      return rc;
  }
  rc = hubtok__buf_add(&v->data, s, len);
  if(rc)
    return rc;
  v->off[v->n] = v->data.len;
  return HUBTOK_OK;
}

const char *
hubtok__strs_get(const hubtok__strs *v, size_t i, size_t *len)
{
  *len = v->off[i + 1] - v->off[i];
  return v->data.p + v->off[i];
}

typedef struct sequence {
  hubtok__decoder base;
  hubtok__decoder **items;
  size_t n;
} sequence;

static hubtok_code
seq_decode_chain(const hubtok__decoder *d, const hubtok__strs *in,
                 hubtok__strs *out, hubtok_error *err)
{
  const sequence *s = (const sequence *)d;
  hubtok__strs cur, next;
  size_t i;
  hubtok_code rc = HUBTOK_OK;

  if(s->n == 0) {
    for(i = 0; i < in->n && !rc; i++) {
      size_t len;
      const char *t = hubtok__strs_get(in, i, &len);
      rc = hubtok__strs_push(out, t, len);
    }
    if(rc)
      return hubtok__set_error(err, rc, "decoder: %s", hubtok_strerror(rc));
    return HUBTOK_OK;
  }
  hubtok__strs_init(&cur);
  for(i = 0; i < s->n; i++) {
    const hubtok__strs *src = i ? &cur : in;
    hubtok__strs *dst = i + 1 == s->n ? out : &next;
    if(dst == &next)
      hubtok__strs_init(&next);
    rc = s->items[i]->ops->decode_chain(s->items[i], src, dst, err);
    hubtok__strs_free(&cur);
    if(rc) {
      if(dst == &next)
        hubtok__strs_free(&next);
      return rc;
    }
    if(dst == &next)
      cur = next;
  }
  return HUBTOK_OK;
}

static size_t
seq_memory(const hubtok__decoder *d)
{
  const sequence *s = (const sequence *)d;
  size_t i, m = sizeof(*s) + s->n * sizeof(*s->items);

  for(i = 0; i < s->n; i++)
    m += s->items[i]->ops->memory(s->items[i]);
  return m;
}

static void
seq_destroy(hubtok__decoder *d)
{
  sequence *s = (sequence *)d;
  size_t i;

  for(i = 0; i < s->n; i++)
    hubtok__decoder_free(s->items[i]);
  free(s->items);
  free(s);
}

static const hubtok__decoder_ops seq_ops = {
  seq_decode_chain, seq_memory, seq_destroy
};

static hubtok_code
sequence_from_json(const cJSON *j, const char *path, int depth,
                   hubtok__decoder **out, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *arr, *it;
  sequence *s;
  size_t i = 0, n;
  hubtok_code rc = HUBTOK_OK;

  rc = hubtok__json_array(j, path, "decoders", &arr, err);
  if(rc)
    return rc;
  hubtok__json_path(p, path, "decoders");
  n = (size_t)cJSON_GetArraySize(arr);
  s = calloc(1, sizeof(*s));
  if(s)
    s->items = calloc(n ? n : 1, sizeof(*s->items));
  if(!s || !s->items) {
    free(s);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  s->base.ops = &seq_ops;
  cJSON_ArrayForEach(it, arr) {
    char ip[HUBTOK__PATH_MAX];
    hubtok__decoder *c = NULL;
    hubtok__json_path_index(ip, p, i++);
    if(hubtok__json_is_null(it)) {
      rc = hubtok__json_bad(err, ip, "expected a decoder");
      break;
    }
    rc = hubtok__decoder_from_json(it, ip, depth + 1, &c, err);
    if(rc)
      break;
    s->items[s->n++] = c;
  }
  if(rc) {
    seq_destroy(&s->base);
    return rc;
  }
  *out = &s->base;
  return HUBTOK_OK;
}

hubtok_code
hubtok__decoder_from_json(const cJSON *j, const char *path, int depth,
                          hubtok__decoder **out, hubtok_error *err)
{
  const char *type;
  hubtok_code rc;

  *out = NULL;
  if(hubtok__json_is_null(j))
    return HUBTOK_OK;
  if(depth > HUBTOK__JSON_MAX_DEPTH)
    return hubtok__json_bad(err, path, "decoders nested too deeply");
  rc = hubtok__json_type(j, path, &type, err);
  if(rc)
    return rc;
  if(!strcmp(type, "Sequence"))
    return sequence_from_json(j, path, depth, out, err);
  if(!strcmp(type, "Replace"))
    return hubtok__replace_decoder_from_json(j, path, out, err);
  if(!strcmp(type, "ByteFallback"))
    return hubtok__byte_fallback_from_json(j, path, out, err);
  if(!strcmp(type, "Fuse"))
    return hubtok__fuse_from_json(j, path, out, err);
  if(!strcmp(type, "WordPiece"))
    return hubtok__wordpiece_decoder_from_json(j, path, out, err);
  if(!strcmp(type, "Strip"))
    return hubtok__strip_from_json(j, path, out, err);
  if(!strcmp(type, "Metaspace"))
    return hubtok__metaspace_decoder_from_json(j, path, out, err);
  if(!strcmp(type, "CTC"))
    return hubtok__ctc_from_json(j, path, out, err);
  if(!strcmp(type, "BPEDecoder"))
    return hubtok__bpe_decoder_from_json(j, path, out, err);
  if(!strcmp(type, "ByteLevel"))
    return hubtok__byte_level_decoder_from_json(j, path, out, err);
  return hubtok__json_unsupported(err, path, "decoder", type);
}

hubtok_code
hubtok__decode_tokens(const hubtok__decoder *d, const hubtok__strs *tokens,
                      char **out, size_t *out_len, hubtok_error *err)
{
  hubtok__strs res;
  hubtok__buf b;
  const hubtok__strs *src = tokens;
  hubtok_code rc = HUBTOK_OK;
  size_t i;

  *out = NULL;
  hubtok__strs_init(&res);
  if(d) {
    rc = d->ops->decode_chain(d, tokens, &res, err);
    if(rc) {
      hubtok__strs_free(&res);
      return rc;
    }
    src = &res;
  }
  hubtok__buf_init(&b, HUBTOK__DECODE_MAX);
  for(i = 0; i < src->n && !rc; i++) {
    size_t len;
    const char *t = hubtok__strs_get(src, i, &len);
    if(!d && i)
      rc = hubtok__buf_addc(&b, ' ');
    if(!rc)
      rc = hubtok__buf_add(&b, t, len);
  }
  hubtok__strs_free(&res);
  if(rc)
    return hubtok__set_error(err, rc, "decode: %s", hubtok_strerror(rc));
  *out = hubtok__buf_take(&b, out_len);
  if(!*out)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  return HUBTOK_OK;
}

size_t
hubtok__decoder_memory(const hubtok__decoder *d)
{
  return d ? d->ops->memory(d) : 0;
}

void
hubtok__decoder_free(hubtok__decoder *d)
{
  if(d)
    d->ops->destroy(d);
}
