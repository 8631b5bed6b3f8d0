/*
 * bpe_decoder.c: the BPEDecoder (tokenizers/src/decoders/bpe.rs): every
 * occurrence of `suffix` becomes a space, or nothing in the last token.
 * Replacements follow Rust's str::replace (an empty suffix matches at
 * every char boundary).
 */
#include "decoders/decoder.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

typedef struct bpe_dec {
  hubtok__decoder base;
  size_t len;
  char suffix[1]; /* len + 1 bytes */
} bpe_dec;

static hubtok_code
bd_decode_chain(const hubtok__decoder *d, const hubtok__strs *in,
                hubtok__strs *out, hubtok_error *err)
{
  const bpe_dec *b = (const bpe_dec *)d;
  hubtok_code rc = HUBTOK_OK;
  size_t i;

  for(i = 0; i < in->n && !rc; i++) {
    size_t len, k = 0, from = 0;
    const char *t = hubtok__strs_get(in, i, &len);
    const char *rep = i + 1 == in->n ? "" : " ";
    size_t rlen = i + 1 == in->n ? 0 : 1;
    rc = hubtok__strs_push(out, "", 0);
    if(b->len == 0) {
      while(!rc && k < len) {
        size_t l = hubtok__utf8_len((unsigned char)t[k]);
        if(l == 0 || l > len - k)
          l = 1;
        rc = hubtok__strs_extend(out, rep, rlen);
        if(!rc)
          rc = hubtok__strs_extend(out, t + k, l);
        k += l;
      }
      if(!rc)
        rc = hubtok__strs_extend(out, rep, rlen);
      continue;
    }
    while(!rc && k + b->len <= len) {
      if(memcmp(t + k, b->suffix, b->len)) {
        k++;
        continue;
      }
      rc = hubtok__strs_extend(out, t + from, k - from);
      if(!rc)
        rc = hubtok__strs_extend(out, rep, rlen);
      k += b->len;
      from = k;
    }
    if(!rc)
      rc = hubtok__strs_extend(out, t + from, len - from);
  }
  if(rc)
    return hubtok__set_error(err, rc, "BPEDecoder: %s",
                             hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
bd_memory(const hubtok__decoder *d)
{
  return sizeof(bpe_dec) + ((const bpe_dec *)d)->len;
}

static void
bd_destroy(hubtok__decoder *d)
{
  free(d);
}

static const hubtok__decoder_ops bd_ops = {
  bd_decode_chain, bd_memory, bd_destroy
};

hubtok_code
hubtok__bpe_decoder_from_json(const cJSON *j, const char *path,
                              hubtok__decoder **out, hubtok_error *err)
{
  const char *s;
  size_t len;
  bpe_dec *b;
  hubtok_code rc;

  *out = NULL;
  rc = hubtok__json_str(j, path, "suffix", 1, &s, &len, err);
  if(rc)
    return rc;
  b = malloc(sizeof(*b) + len);
  if(!b)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  b->base.ops = &bd_ops;
  b->len = len;
  memcpy(b->suffix, s, len + 1);
  *out = &b->base;
  return HUBTOK_OK;
}
