/*
 * base64.c: strict standard base64 decoder (see base64.h).
 */
#include "util/base64.h"

#include <stdlib.h>

static int
sextet(unsigned char c)
{
  if(c >= 'A' && c <= 'Z')
    return c - 'A';
  if(c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if(c >= '0' && c <= '9')
    return c - '0' + 52;
  if(c == '+')
    return 62;
  if(c == '/')
    return 63;
  return -1;
}

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
  for(i = 0; i < len; i += 4) {
    int v[4], k, q = 4;
    uint32_t w = 0;
    if(i + 4 == len)
      q = 4 - (int)pad;
    for(k = 0; k < 4; k++) {
      v[k] = k < q ? sextet(p[i + k]) : 0;
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
