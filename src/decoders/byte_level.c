/*
 * byte_level.c: the ByteLevel decoder (tokenizers/src/decoders/
 * byte_level.rs, implemented in pre_tokenizers/byte_level.rs): every
 * token whose chars all stand for bytes becomes those bytes (other
 * tokens stay as they are), everything is concatenated and turned into
 * one string as String::from_utf8_lossy (each maximal invalid subpart
 * becomes one U+FFFD).
 */
#include "decoders/decoder.h"
#include "util/buf.h"
#include "util/byte_level.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdlib.h>

#define REPLACEMENT "\xEF\xBF\xBD"

/* Length of the valid char at s[0..len), or 0 when it is invalid; then
 * *bad is the length of the maximal invalid subpart (Utf8Chunks). */
static size_t
valid_char(const unsigned char *s, size_t len, size_t *bad)
{
  unsigned char b = s[0];
  size_t need, i;
  unsigned char lo = 0x80, hi = 0xBF;

  *bad = 1;
  if(b < 0x80)
    return 1;
  if(b >= 0xC2 && b <= 0xDF)
    need = 2;
  else if(b >= 0xE0 && b <= 0xEF)
    need = 3;
  else if(b >= 0xF0 && b <= 0xF4)
    need = 4;
  else
    return 0;
  if(b == 0xE0)
    lo = 0xA0;
  else if(b == 0xED)
    hi = 0x9F;
  else if(b == 0xF0)
    lo = 0x90;
  else if(b == 0xF4)
    hi = 0x8F;
  for(i = 1; i < need; i++) {
    unsigned char c;
    if(i >= len) {
      *bad = i;
      return 0;
    }
    c = s[i];
    if(i == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) {
      *bad = i;
      return 0;
    }
  }
  return need;
}

static hubtok_code
add_lossy(hubtok__buf *dst, const char *s, size_t len)
{
  size_t i = 0;
  hubtok_code rc = HUBTOK_OK;

  while(i < len && !rc) {
    size_t bad, n = valid_char((const unsigned char *)s + i, len - i, &bad);
    if(n) {
      rc = hubtok__buf_add(dst, s + i, n);
      i += n;
    }
    else {
      rc = hubtok__buf_add(dst, REPLACEMENT, 3);
      i += bad;
    }
  }
  return rc;
}

/* Append the bytes token t stands for, or t itself when one of its
 * chars stands for no byte. */
static hubtok_code
add_token(hubtok__buf *bytes, const char *t, size_t len)
{
  size_t i = 0, cl;
  unsigned char b;
  hubtok_code rc = HUBTOK_OK;

  while(i < len) {
    uint32_t cp = hubtok__utf8_decode(t + i, len - i, &cl);
    if(!hubtok__byte_level_byte(cp, &b))
      return hubtok__buf_add(bytes, t, len);
    i += cl ? cl : 1;
  }
  for(i = 0; i < len && !rc; i += cl ? cl : 1) {
    uint32_t cp = hubtok__utf8_decode(t + i, len - i, &cl);
    if(hubtok__byte_level_byte(cp, &b))
      rc = hubtok__buf_addc(bytes, (char)b);
  }
  return rc;
}

static hubtok_code
bl_decode_chain(const hubtok__decoder *d, const hubtok__strs *in,
                hubtok__strs *out, hubtok_error *err)
{
  hubtok__buf bytes, text;
  hubtok_code rc = HUBTOK_OK;
  size_t i;

  (void)d;
  hubtok__buf_init(&bytes, HUBTOK__DECODE_MAX);
  hubtok__buf_init(&text, HUBTOK__DECODE_MAX);
  for(i = 0; i < in->n && !rc; i++) {
    size_t len;
    const char *t = hubtok__strs_get(in, i, &len);
    rc = add_token(&bytes, t, len);
  }
  if(!rc)
    rc = add_lossy(&text, bytes.p, bytes.len);
  if(!rc)
    rc = hubtok__strs_push(out, text.p ? text.p : "", text.len);
  hubtok__buf_free(&bytes);
  hubtok__buf_free(&text);
  if(rc)
    return hubtok__set_error(err, rc, "ByteLevel: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
bl_memory(const hubtok__decoder *d)
{
  (void)d;
  return sizeof(hubtok__decoder);
}

static void
bl_destroy(hubtok__decoder *d)
{
  free(d);
}

static const hubtok__decoder_ops bl_ops = {
  bl_decode_chain, bl_memory, bl_destroy
};

hubtok_code
hubtok__byte_level_decoder_from_json(const struct cJSON *j,
                                     const char *path,
                                     hubtok__decoder **out,
                                     hubtok_error *err)
{
  hubtok__decoder *d;
  int v;
  hubtok_code rc;

  /* add_prefix_space, trim_offsets and use_regex do not change
   * decoding, but the first two are required fields */
  rc = hubtok__json_bool_req(j, path, "add_prefix_space", &v, err);
  if(!rc)
    rc = hubtok__json_bool_req(j, path, "trim_offsets", &v, err);
  if(!rc)
    rc = hubtok__json_bool(j, path, "use_regex", 1, &v, err);
  if(rc)
    return rc;
  d = malloc(sizeof(*d));
  if(!d)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  d->ops = &bl_ops;
  *out = d;
  return HUBTOK_OK;
}
