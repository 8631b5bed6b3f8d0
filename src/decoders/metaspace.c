/*
 * metaspace.c: the Metaspace decoder (Decoder for Metaspace in
 * tokenizers/src/pre_tokenizers/metaspace.rs): the replacement char
 * becomes a space, except in the first token where it is dropped
 * (every occurrence) unless prepend_scheme is "never".
 */
#include "decoders/decoder.h"
#include "pre_tokenizers/metaspace.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

typedef struct metaspace_dec {
  hubtok__decoder base;
  hubtok__metaspace_cfg cfg;
} metaspace_dec;

static hubtok_code
ms_decode_chain(const hubtok__decoder *d, const hubtok__strs *in,
                hubtok__strs *out, hubtok_error *err)
{
  const metaspace_dec *m = (const metaspace_dec *)d;
  const hubtok__metaspace_cfg *c = &m->cfg;
  hubtok_code rc = HUBTOK_OK;
  size_t i;

  for(i = 0; i < in->n && !rc; i++) {
    size_t len, k = 0, from = 0;
    const char *t = hubtok__strs_get(in, i, &len);
    int drop = i == 0 && c->scheme != HUBTOK__PREPEND_NEVER;
    rc = hubtok__strs_push(out, "", 0);
    while(!rc && k + c->rep_len <= len) {
      if(memcmp(t + k, c->rep, c->rep_len)) {
        k++;
        continue;
      }
      rc = hubtok__strs_extend(out, t + from, k - from);
      if(!rc && !drop)
        rc = hubtok__strs_extend(out, " ", 1);
      k += c->rep_len;
      from = k;
    }
    if(!rc)
      rc = hubtok__strs_extend(out, t + from, len - from);
  }
  if(rc)
    return hubtok__set_error(err, rc, "Metaspace: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
ms_memory(const hubtok__decoder *d)
{
  (void)d;
  return sizeof(metaspace_dec);
}

static void
ms_destroy(hubtok__decoder *d)
{
  free(d);
}

static const hubtok__decoder_ops ms_ops = {
  ms_decode_chain, ms_memory, ms_destroy
};

hubtok_code
hubtok__metaspace_decoder_from_json(const cJSON *j, const char *path,
                                    hubtok__decoder **out,
                                    hubtok_error *err)
{
  metaspace_dec *m;
  hubtok_code rc;

  *out = NULL;
  m = calloc(1, sizeof(*m));
  if(!m)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  m->base.ops = &ms_ops;
  rc = hubtok__metaspace_cfg_from_json(j, path, &m->cfg, err);
  if(rc) {
    free(m);
    return rc;
  }
  *out = &m->base;
  return HUBTOK_OK;
}
