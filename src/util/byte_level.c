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

/* The non-printable bytes are 0x00-0x20 (33), 0x7F-0xA0 (34) and 0xAD, so
 * the table has a closed form both ways: no loop, no table to build. */
uint32_t
hubtok__byte_level_char(unsigned char b)
{
  if(printable(b))
    return b;
  if(b <= 0x20)
    return 256u + b;
  if(b <= 0xA0)
    return 256u + 33u + (b - 0x7Fu);
  return 256u + 33u + 34u; /* 0xAD */
}

int
hubtok__byte_level_byte(uint32_t cp, unsigned char *b)
{
  if(cp < 256) {
    if(!printable(cp))
      return 0;
    *b = (unsigned char)cp;
    return 1;
  }
  if(cp < 256 + 33)
    *b = (unsigned char)(cp - 256);
  else if(cp < 256 + 33 + 34)
    *b = (unsigned char)(0x7F + (cp - 256 - 33));
  else if(cp == 256 + 33 + 34)
    *b = 0xAD;
  else
    return 0;
  return 1;
}

hubtok_code
hubtok__byte_level_transform(hubtok__nstr *ns)
{
  size_t i, o = 0, newlen = 0;
  hubtok__nstr t;
  char *s;
  uint32_t *al;

  /* bytes >= 0x80 and the non-printable ASCII ones become two bytes */
  for(i = 0; i < ns->len; i++) {
    unsigned char b = (unsigned char)ns->s[i];
    newlen += (b >= '!' && b <= '~') ? 1 : 2;
  }
  /* only printable ASCII: every byte stands for itself, nothing moves */
  if(newlen == ns->len)
    return HUBTOK_OK;
  if(newlen > HUBTOK__TEXT_MAX)
    return HUBTOK_ETOOLARGE;
  memset(&t, 0, sizeof(t));
  if(hubtok__nstr_alloc(&t, newlen))
    return HUBTOK_ENOMEM;
  s = t.s;
  al = t.al;
  i = 0;
  while(i < ns->len) {
    size_t n = hubtok__utf8_len((unsigned char)ns->s[i]), k;
    if(n == 0 || i + n > ns->len)
      n = 1;
    for(k = 0; k < n; k++) {
      unsigned char b = (unsigned char)ns->s[i + k];
      size_t src = k == 0 ? i : i + n - 1;
      uint32_t c = hubtok__byte_level_char(b);
      uint32_t a0 = ns->al[2 * src], a1 = ns->al[2 * src + 1];
      if(c < 0x80) {
        s[o] = (char)c;
        al[2 * o] = a0;
        al[2 * o + 1] = a1;
        o++;
      }
      else {
        s[o] = (char)(0xC0 | (c >> 6));
        s[o + 1] = (char)(0x80 | (c & 0x3F));
        al[2 * o] = a0;
        al[2 * o + 1] = a1;
        al[2 * o + 2] = a0;
        al[2 * o + 3] = a1;
        o += 2;
      }
    }
    i += n;
  }
  t.orig_len = ns->orig_len;
  t.shift = ns->shift;
  hubtok__nstr_free(ns);
  hubtok__nstr_move(ns, &t);
  return HUBTOK_OK;
}
