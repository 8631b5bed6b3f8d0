/*
 * strip.c: the Strip decoder (tokenizers/src/decoders/strip.rs): removes
 * up to `start` leading and `stop` trailing occurrences of the character
 * `content` from every token. (Rust panics when stop exceeds a token's
 * length or the cuts cross; here the token just becomes shorter/empty.)
 */
#include "decoders/decoder.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

typedef struct strip {
  hubtok__decoder base;
  char content[4];
  size_t content_len;
  uint32_t start;
  uint32_t stop;
} strip;

static hubtok_code
strip_decode_chain(const hubtok__decoder *d, const hubtok__strs *in,
                   hubtok__strs *out, hubtok_error *err)
{
  const strip *s = (const strip *)d;
  hubtok_code rc = HUBTOK_OK;
  size_t i, k;

  for(i = 0; i < in->n && !rc; i++) {
    size_t len, a = 0, b;
    const char *t = hubtok__strs_get(in, i, &len);
    b = len;
    for(k = 0; k < s->start; k++) {
      if(a + s->content_len <= len &&
         !memcmp(t + a, s->content, s->content_len))
        a += s->content_len;
      else
        break;
    }
    for(k = 0; k < s->stop; k++) {
      if(b >= s->content_len &&
         !memcmp(t + b - s->content_len, s->content, s->content_len))
        b -= s->content_len;
      else
        break;
    }
    if(b < a)
      b = a;
    rc = hubtok__strs_push(out, t + a, b - a);
  }
  if(rc)
    return hubtok__set_error(err, rc, "Strip: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
strip_memory(const hubtok__decoder *d)
{
  (void)d;
  return sizeof(strip);
}

static void
strip_destroy(hubtok__decoder *d)
{
  free(d);
}

static const hubtok__decoder_ops strip_ops = {
  strip_decode_chain, strip_memory, strip_destroy
};

hubtok_code
hubtok__strip_from_json(const cJSON *j, const char *path,
                        hubtok__decoder **out, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const char *c;
  size_t len;
  strip *s;
  hubtok_code rc;

  s = calloc(1, sizeof(*s));
  if(!s)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  s->base.ops = &strip_ops;
  rc = hubtok__json_str(j, path, "content", 1, &c, &len, err);
  if(!rc && (len == 0 || hubtok__utf8_len((unsigned char)c[0]) != len)) {
    hubtok__json_path(p, path, "content");
    rc = hubtok__json_bad(err, p, "expected a single character");
  }
  if(!rc) {
    memcpy(s->content, c, len);
    s->content_len = len;
    rc = hubtok__json_u32(j, path, "start", 1, 0, &s->start, err);
  }
  if(!rc)
    rc = hubtok__json_u32(j, path, "stop", 1, 0, &s->stop, err);
  if(rc) {
    free(s);
    return rc;
  }
  *out = &s->base;
  return HUBTOK_OK;
}
