/*
 * byte_level.c: the GPT-2 byte <-> char table (bytes_char in
 * tokenizers/src/pre_tokenizers/byte_level.rs) and the ByteLevel
 * transform of a NormalizedString.
 */
#include "util/byte_level.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

/* Printable bytes stand for themselves; the others, in order, for
 * U+0100, U+0101, ... */
static int
printable(unsigned b)
{
  return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) ||
         (b >= 0xAE && b <= 0xFF);
}

uint32_t
hubtok__byte_level_char(unsigned char b)
{
  unsigned n = 0, i;

  if(printable(b))
    return b;
  /* the number of non-printable bytes below b */
  for(i = 0; i < b; i++)
    if(!printable(i))
      n++;
  return 256 + n;
}

int
hubtok__byte_level_byte(uint32_t cp, unsigned char *b)
{
  unsigned i, n = 0;

  if(cp < 256) {
    if(!printable(cp))
      return 0;
    *b = (unsigned char)cp;
    return 1;
  }
  if(cp >= 256 + 68)
    return 0;
  for(i = 0; i < 256; i++) {
    if(printable(i))
      continue;
    if(n == cp - 256) {
      *b = (unsigned char)i;
      return 1;
    }
    n++;
  }
  return 0;
}

hubtok_code
hubtok__byte_level_transform(hubtok__nstr *ns)
{
  char enc[256][2];
  size_t elen[256];
  size_t i, o = 0, newlen = 0;
  char *s;
  uint32_t *al;

  for(i = 0; i < 256; i++)
    elen[i] = hubtok__utf8_encode(hubtok__byte_level_char(
                                    (unsigned char)i), enc[i]);
  for(i = 0; i < ns->len; i++)
    newlen += elen[(unsigned char)ns->s[i]];
  if(newlen > HUBTOK__TEXT_MAX)
    return HUBTOK_ETOOLARGE;
  s = malloc(newlen + 1);
  al = malloc((newlen ? newlen : 1) * 2 * sizeof(uint32_t));
  if(!s || !al) {
    free(s);
    free(al);
    return HUBTOK_ENOMEM;
  }
  i = 0;
  while(i < ns->len) {
    size_t n = hubtok__utf8_len((unsigned char)ns->s[i]), k;
    if(n == 0 || i + n > ns->len)
      n = 1;
    for(k = 0; k < n; k++) {
      unsigned char b = (unsigned char)ns->s[i + k];
      size_t src = k == 0 ? i : i + n - 1, q;
      memcpy(s + o, enc[b], elen[b]);
      for(q = 0; q < elen[b]; q++) {
        al[2 * (o + q)] = ns->al[2 * src];
        al[2 * (o + q) + 1] = ns->al[2 * src + 1];
      }
      o += elen[b];
    }
    i += n;
  }
  s[newlen] = 0;
  free(ns->s);
  free(ns->al);
  ns->s = s;
  ns->al = al;
  ns->len = newlen;
  return HUBTOK_OK;
}
