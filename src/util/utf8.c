/*
 * utf8.c: UTF-8 length, validation, decoding and encoding.
 */
#include "util/utf8.h"

size_t
hubtok__utf8_len(unsigned char c)
{
  if(c < 0x80)
    return 1;
  if(c < 0xC2)
    return 0;
  if(c < 0xE0)
    return 2;
  if(c < 0xF0)
    return 3;
  if(c < 0xF5)
    return 4;
  return 0;
}

/* Length of one valid sequence at s, or 0 when invalid or truncated
 * (the rules of Rust's core::str::validations, Unicode table 3-7). */
static size_t
seq_valid(const unsigned char *s, size_t len)
{
  unsigned char c = s[0];
  size_t n = hubtok__utf8_len(c);
  size_t i;

  if(n == 0 || n > len)
    return 0;
  if(n >= 2) {
    unsigned char c1 = s[1];
    if(c == 0xE0 && c1 < 0xA0)
      return 0;
    if(c == 0xED && c1 > 0x9F)
      return 0;
    if(c == 0xF0 && c1 < 0x90)
      return 0;
    if(c == 0xF4 && c1 > 0x8F)
      return 0;
  }
  for(i = 1; i < n; i++) {
    if((s[i] & 0xC0) != 0x80)
      return 0;
  }
  return n;
}

size_t
hubtok__utf8_valid_prefix(const char *s, size_t len)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;

  while(i < len) {
    size_t n;
    if(u[i] < 0x80) {
      i++;
      continue;
    }
    n = seq_valid(u + i, len - i);
    if(!n)
      break;
    i += n;
  }
  return i;
}

int
hubtok__utf8_valid(const char *s, size_t len)
{
  return hubtok__utf8_valid_prefix(s, len) == len;
}

uint32_t
hubtok__utf8_decode(const char *s, size_t len, size_t *clen)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t n = hubtok__utf8_len(u[0]);
  uint32_t cp;

  if(n == 0 || n > len) {
    *clen = 1;
    return 0xFFFD;
  }
  *clen = n;
  switch(n) {
  case 1:
    return u[0];
  case 2:
    return ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
  case 3:
    cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6);
    return cp | (u[2] & 0x3F);
  default:
    cp = ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12);
    return cp | ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
  }
}

size_t
hubtok__utf8_encode(uint32_t cp, char *out)
{
  unsigned char *o = (unsigned char *)out;

  if(cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if(cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if(cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

size_t
hubtok__utf8_last(const char *s, size_t len)
{
  size_t i = len - 1;

  while(i > 0 && (((unsigned char)s[i]) & 0xC0) == 0x80)
    i--;
  return i;
}
