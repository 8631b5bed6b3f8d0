/*
 * utf8.h: small UTF-8 helpers. All functions are pure (thread-safe) and
 * never read past `len`. The per-char ones are inline: they sit in every
 * tokenizer stage's inner loop.
 */
#ifndef HUBTOK_UTIL_UTF8_H
#define HUBTOK_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length of the sequence starting with byte c (1..4), or 0 when c cannot
 * start a sequence. Assumes valid UTF-8 follows. */
static inline size_t
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

/* 1 when s[0..len) is valid UTF-8 (no surrogates, no overlongs, nothing
 * above U+10FFFF), as Rust's str::from_utf8 accepts. */
int hubtok__utf8_valid(const char *s, size_t len);

/* As hubtok__utf8_valid, and no NUL byte (a key or piece of a
 * tokenizer.json, whose strings end at a NUL). */
int hubtok__utf8_valid_nonul(const char *s, size_t len);

/* The same answers as hubtok__utf8_valid (nul 0) and _nonul (nul 1),
 * sequence by sequence: for tests of the DFA behind them. */
int hubtok__utf8_valid_slow(const char *s, size_t len, int nul);

/* Length of the longest valid UTF-8 prefix of s[0..len). */
size_t hubtok__utf8_valid_prefix(const char *s, size_t len);

/* Decode the character at s (valid UTF-8 with at least one char left);
 * stores its byte length in *clen. */
static inline uint32_t
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

/* Encode cp into out (4 bytes of room). Returns the byte length. */
static inline size_t
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

/* Start of the last character of s[0..len) (len > 0, valid UTF-8). */
static inline size_t
hubtok__utf8_last(const char *s, size_t len)
{
  size_t i = len - 1;

  while(i > 0 && (((unsigned char)s[i]) & 0xC0) == 0x80)
    i--;
  return i;
}

#endif /* HUBTOK_UTIL_UTF8_H */
