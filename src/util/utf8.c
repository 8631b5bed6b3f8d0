/*
 * utf8.c: UTF-8 length, validation, decoding and encoding.
 */
#include "util/utf8.h"

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
