/*
 * base64.c: strict standard base64 decoder (see base64.h).
 */
#include "util/base64.h"

#include <stdlib.h>

/* The value of each base64 char, -1 for the others. */
static const signed char sextets[256] = {
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
  52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
  -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
  -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

hubtok_code
hubtok__base64_decode(const char *s, size_t len, unsigned char **out,
                      size_t *out_len, size_t *bad_pos)
{
  const unsigned char *p = (const unsigned char *)s;
  unsigned char *o;
  size_t i, n = 0, pad = 0;

  *out = NULL;
  *out_len = 0;
  if(bad_pos)
    *bad_pos = 0;
  if(len % 4) {
    if(bad_pos)
      *bad_pos = len;
    return HUBTOK_EINVAL;
  }
  if(len >= 1 && p[len - 1] == '=')
    pad++;
  if(len >= 2 && p[len - 2] == '=')
    pad++;
  o = malloc(len / 4 * 3 + 1);
  if(!o)
    return HUBTOK_ENOMEM;
  /* every quad but the last has no padding: four lookups, three bytes
   * (a bad char falls through to the checked loop below) */
  for(i = 0; i + 4 < len; i += 4) {
    int a = sextets[p[i]], b = sextets[p[i + 1]], c = sextets[p[i + 2]],
        d = sextets[p[i + 3]];
    uint32_t w;
    if((a | b | c | d) < 0)
      break;
    w = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 |
        (uint32_t)d;
    o[n++] = (unsigned char)(w >> 16);
    o[n++] = (unsigned char)(w >> 8);
    o[n++] = (unsigned char)w;
  }
  for(; i < len; i += 4) {
    int v[4], k, q = 4;
    uint32_t w = 0;
    if(i + 4 == len)
      q = 4 - (int)pad;
    for(k = 0; k < 4; k++) {
      v[k] = k < q ? sextets[p[i + k]] : 0;
      if(v[k] < 0) {
        free(o);
        if(bad_pos)
          *bad_pos = i + (size_t)k;
        return HUBTOK_EINVAL;
      }
      w = (w << 6) | (uint32_t)v[k];
    }
    o[n++] = (unsigned char)(w >> 16);
    if(q > 2)
      o[n++] = (unsigned char)(w >> 8);
    if(q > 3)
      o[n++] = (unsigned char)w;
    /* canonical: the bits dropped by the padding must be zero */
    if((q == 2 && (w & 0xffff)) || (q == 3 && (w & 0xff))) {
      free(o);
      if(bad_pos)
        *bad_pos = i + (size_t)q - 1;
      return HUBTOK_EINVAL;
    }
  }
  *out = o;
  *out_len = n;
  return HUBTOK_OK;
}
