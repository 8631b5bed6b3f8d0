/*
 * replace.c: the Replace decoder (Decoder impl of
 * tokenizers/src/normalizers/replace.rs): in every token, each match of
 * the String or Regex pattern becomes `content`.
 */
#include "decoders/decoder.h"
#include "normalizers/normalizer.h"
#include "util/regex.h"

#include <stdlib.h>
#include <string.h>

typedef struct replace {
  hubtok__decoder base;
  hubtok__pattern pattern;
  char *content;
  size_t content_len;
} replace;

static hubtok_code
replace_decode_chain(const hubtok__decoder *d, const hubtok__strs *in,
                     hubtok__strs *out, hubtok_error *err)
{
  const replace *r = (const replace *)d;
  hubtok__spans m;
  hubtok_code rc = HUBTOK_OK;
  size_t i, k;

  memset(&m, 0, sizeof(m));
  for(i = 0; i < in->n && !rc; i++) {
    size_t len, last = 0;
    const char *t = hubtok__strs_get(in, i, &len);
    m.n = 0;
    rc = hubtok__pattern_find(&r->pattern, t, len, &m, err);
    if(rc)
      break;
    rc = hubtok__strs_push(out, "", 0);
    for(k = 0; k < m.n && !rc; k++) {
      rc = hubtok__strs_extend(out, t + last, m.v[k].start - last);
      if(!rc)
        rc = hubtok__strs_extend(out, r->content, r->content_len);
      last = m.v[k].end;
    }
    if(!rc)
      rc = hubtok__strs_extend(out, t + last, len - last);
    if(rc)
      rc = hubtok__set_error(err, rc, "Replace decoder: %s",
                             hubtok_strerror(rc));
  }
  hubtok__spans_free(&m);
  return rc;
}

static size_t
replace_memory(const hubtok__decoder *d)
{
  const replace *r = (const replace *)d;
  return sizeof(*r) + r->content_len + r->pattern.len;
}

static void
replace_destroy(hubtok__decoder *d)
{
  replace *r = (replace *)d;

  hubtok__pattern_free(&r->pattern);
  free(r->content);
  free(r);
}

static const hubtok__decoder_ops replace_ops = {
  replace_decode_chain, replace_memory, replace_destroy
};

hubtok_code
hubtok__replace_decoder_from_json(const struct cJSON *j, const char *path,
                                  hubtok__decoder **out, hubtok_error *err)
{
  replace *r;
  hubtok_code rc;

  r = calloc(1, sizeof(*r));
  if(!r)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  r->base.ops = &replace_ops;
  rc = hubtok__replace_pattern_from_json(j, path, &r->pattern, &r->content,
                                         &r->content_len, err);
  if(rc) {
    free(r);
    return rc;
  }
  *out = &r->base;
  return HUBTOK_OK;
}
