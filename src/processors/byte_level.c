/*
 * byte_level.c: the ByteLevel post-processor (tokenizers/src/
 * pre_tokenizers/byte_level.rs, PostProcessor impl and process_offsets):
 * with trim_offsets, the offsets of each token lose its leading and
 * trailing spaces; the sequences are then concatenated as the default
 * processing does (sequence ids 0 and 1, type ids kept).
 *
 * As in Rust, offsets move by the number of space chars (U+0120 or
 * whitespace) whatever their unit: bytes from hubtok_encode, chars from
 * hubtok_encode_char_offsets (Rust trims after the byte -> char
 * conversion, so trimming the byte offsets and converting afterwards
 * would differ wherever a space char does not stand for one original
 * byte, e.g. a prefix space aligned to a multi-byte char).
 */
#include "processors/processor.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdlib.h>

typedef struct byte_level {
  hubtok__processor base;
  int trim_offsets;
  int add_prefix_space;
} byte_level;

/* Rust's char::is_whitespace (the White_Space property). */
static int
is_white(uint32_t c)
{
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

/* Whether c counts as a space (BYTES_CHAR[' '] or whitespace). */
static int
is_space(uint32_t c)
{
  return c == 0x120 || is_white(c);
}

void
hubtok__byte_level_trim_offsets(hubtok__enc *enc, size_t from,
                                int add_prefix_space)
{
  hubtok_encoding *e = &enc->e;
  size_t i;

  if(enc->ids_only)
    return; /* no offsets */
  for(i = from; i < e->n; i++) {
    const char *t = enc->toks.p + e->token_off[i];
    size_t len = e->token_off[i + 1] - e->token_off[i];
    size_t lead = 0, trail = 0, k = 0, end;
    size_t *os = &e->offsets[2 * i], *oe = &e->offsets[2 * i + 1];
    while(k < len) {
      size_t cl;
      uint32_t c = hubtok__utf8_decode(t + k, len - k, &cl);
      if(!is_space(c))
        break;
      lead++;
      k += cl ? cl : 1;
    }
    end = len;
    while(end > 0) {
      size_t st = hubtok__utf8_last(t, end);
      size_t cl;
      uint32_t c = hubtok__utf8_decode(t + st, end - st, &cl);
      if(!is_space(c))
        break;
      trail++;
      end = st;
    }
    if(lead > 0) {
      int is_first = i == from || *os == 0;
      if(is_first && add_prefix_space && lead == 1)
        lead = 0;
      *os = *os + lead < *oe ? *os + lead : *oe;
    }
    if(trail > 0 && *oe >= trail)
      *oe = *oe - trail > *os ? *oe - trail : *os;
  }
}

static hubtok_code
bl_process_each(const hubtok__processor *p, hubtok__enc *enc,
                hubtok_error *err)
{
  const byte_level *b = (const byte_level *)p;

  (void)err;
  if(b->trim_offsets)
    hubtok__byte_level_trim_offsets(enc, 0, b->add_prefix_space);
  return HUBTOK_OK;
}

static hubtok_code
bl_process(const hubtok__processor *p, const hubtok__enc *a,
           const hubtok__enc *b, int add_special, hubtok__enc *out,
           hubtok_error *err)
{
  const byte_level *bl = (const byte_level *)p;
  size_t from = out->e.n;
  hubtok_code rc;

  (void)add_special;
  /* the sequences carry type ids 0 and 1 */
  rc = hubtok__enc_append(out, a, 0, 0);
  if(!rc && bl->trim_offsets)
    hubtok__byte_level_trim_offsets(out, from, bl->add_prefix_space);
  from = out->e.n;
  if(!rc && b)
    rc = hubtok__enc_append(out, b, 1, 1);
  if(!rc && b && bl->trim_offsets)
    hubtok__byte_level_trim_offsets(out, from, bl->add_prefix_space);
  if(rc)
    return hubtok__set_error(err, rc, "ByteLevel: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
bl_memory(const hubtok__processor *p)
{
  (void)p;
  return sizeof(byte_level);
}

static void
bl_destroy(hubtok__processor *p)
{
  free(p);
}

static const hubtok__processor_ops bl_ops = {
  bl_process, bl_memory, bl_destroy, bl_process_each
};

hubtok_code
hubtok__byte_level_processor_from_json(const cJSON *j, const char *path,
                                       hubtok__processor **out,
                                       hubtok_error *err)
{
  byte_level *b;
  int aps, trim, use_regex;
  hubtok_code rc;

  /* the ByteLevel struct: both required, use_regex (unused here)
   * optional */
  rc = hubtok__json_bool_req(j, path, "add_prefix_space", &aps, err);
  if(!rc)
    rc = hubtok__json_bool_req(j, path, "trim_offsets", &trim, err);
  if(!rc)
    rc = hubtok__json_bool(j, path, "use_regex", 1, &use_regex, err);
  if(rc)
    return rc;
  b = calloc(1, sizeof(*b));
  if(!b)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  b->base.ops = &bl_ops;
  b->trim_offsets = trim;
  b->add_prefix_space = aps;
  *out = &b->base;
  return HUBTOK_OK;
}
