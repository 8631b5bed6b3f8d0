/*
 * byte_fallback.c: the ByteFallback decoder (tokenizers/src/decoders/
 * byte_fallback.rs). Runs of "<0xXX>" tokens become the bytes they name;
 * a run that is valid UTF-8 becomes one token, otherwise every byte of
 * the run becomes one U+FFFD (as Rust's String::from_utf8 failing on the
 * whole run).
 */
#include "decoders/decoder.h"
#include "util/buf.h"
#include "util/utf8.h"

#include <stdlib.h>

#define REPLACEMENT "\xEF\xBF\xBD"

static int
hexval(char c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if(c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* "<0xXX>" -> byte, as u8::from_str_radix(&token[3..5], 16); -1 when the
 * token is not a byte token. from_str_radix accepts a leading '+'. */
static int
byte_token(const char *t, size_t len)
{
  int hi, lo;

  if(len != 6 || t[0] != '<' || t[1] != '0' || t[2] != 'x' || t[5] != '>')
    return -1;
  if(t[3] == '+') {
    lo = hexval(t[4]);
    return lo;
  }
  hi = hexval(t[3]);
  lo = hexval(t[4]);
  if(hi < 0 || lo < 0)
    return -1;
  return hi * 16 + lo;
}

static hubtok_code
flush(hubtok__buf *run, hubtok__strs *out)
{
  hubtok_code rc = HUBTOK_OK;
  size_t i;

  if(run->len == 0)
    return HUBTOK_OK;
  if(hubtok__utf8_valid(run->p, run->len)) {
    rc = hubtok__strs_push(out, run->p, run->len);
  }
  else {
    for(i = 0; i < run->len && !rc; i++)
      rc = hubtok__strs_push(out, REPLACEMENT, 3);
  }
  hubtok__buf_reset(run);
  return rc;
}

static hubtok_code
bf_decode_chain(const hubtok__decoder *d, const hubtok__strs *in,
                hubtok__strs *out, hubtok_error *err)
{
  hubtok__buf run;
  hubtok_code rc = HUBTOK_OK;
  size_t i;

  (void)d;
  hubtok__buf_init(&run, HUBTOK__DECODE_MAX);
  for(i = 0; i < in->n && !rc; i++) {
    size_t len;
    const char *t = hubtok__strs_get(in, i, &len);
    int b = byte_token(t, len);
    if(b >= 0) {
      rc = hubtok__buf_addc(&run, (char)b);
      continue;
    }
    rc = flush(&run, out);
    if(!rc)
      rc = hubtok__strs_push(out, t, len);
  }
  if(!rc)
    rc = flush(&run, out);
  hubtok__buf_free(&run);
  if(rc)
    return hubtok__set_error(err, rc, "ByteFallback: %s",
                             hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
bf_memory(const hubtok__decoder *d)
{
  (void)d;
  return sizeof(hubtok__decoder);
}

static void
bf_destroy(hubtok__decoder *d)
{
  free(d);
}

static const hubtok__decoder_ops bf_ops = {
  bf_decode_chain, bf_memory, bf_destroy
};

hubtok_code
hubtok__byte_fallback_from_json(const struct cJSON *j, const char *path,
                                hubtok__decoder **out, hubtok_error *err)
{
  hubtok__decoder *d;

  (void)j;
  (void)path;
  d = malloc(sizeof(*d));
  if(!d)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  d->ops = &bf_ops;
  *out = d;
  return HUBTOK_OK;
}
