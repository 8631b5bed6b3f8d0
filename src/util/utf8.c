/*
 * utf8.c: UTF-8 length, validation, decoding and encoding.
 */
#include "util/utf8.h"

#include "hubtok.h"

#include <string.h>

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

#define HIGH_BITS 0x8080808080808080ull
#define LOW_BITS 0x0101010101010101ull

/* 1 when the 8 bytes of w are ASCII (and, with nul, none is NUL). */
static int
ascii_word(uint64_t w, int nul)
{
  return !(w & HIGH_BITS) && !(nul && ((w - LOW_BITS) & ~w & HIGH_BITS));
}

/* The valid prefix; with nul, a NUL byte ends it too. ASCII runs go
 * eight bytes at a time. */
static size_t
valid_prefix(const unsigned char *u, size_t len, int nul)
{
  size_t i = 0;

  while(i < len) {
    size_t n;
    if(u[i] < 0x80) {
      while(i + 8 <= len) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        if(!ascii_word(w, nul))
          break;
        i += 8;
      }
      while(i < len && u[i] < 0x80) {
        if(nul && !u[i])
          return i;
        i++;
      }
      continue;
    }
    n = seq_valid(u + i, len - i);
    if(!n)
      break;
    i += n;
  }
  return i;
}

/* Whole-string validation with a shift-based DFA: one 64-bit row per
 * byte holds the next state of every state, six bits each, the states
 * numbered in multiples of 6; a byte costs a load (independent of the
 * state), a shift and a mask, with no branch. About 1.9x the speed of
 * valid_prefix on multilingual text (a 250k-piece vocabulary checked
 * when a compiled image is opened). The states follow Unicode table 3-7
 * (as seq_valid); a test compares both on every string of up to 3 bytes
 * and on 4-byte and random ones (test/c/test_image.c). */
enum {
  D_ACCEPT = 0,
  D_ERROR = 1,
  D_CONT1 = 2,  /* one continuation byte to go */
  D_CONT2 = 3,  /* two */
  D_E0 = 4,     /* after E0: A0..BF, then one */
  D_ED = 5,     /* after ED: 80..9F, then one */
  D_CONT3 = 6,  /* three */
  D_F0 = 7,     /* after F0: 90..BF, then two */
  D_F4 = 8      /* after F4: 80..8F, then two */
};

static uint64_t dfa_rows[2][256]; /* [nul is an error][byte] */

static int
dfa_next(int st, unsigned b, int nul)
{
  int cont = b >= 0x80 && b <= 0xBF;

  switch(st) {
  case D_ACCEPT:
    if(b == 0 && nul)
      return D_ERROR;
    if(b < 0x80)
      return D_ACCEPT;
    if(b >= 0xC2 && b <= 0xDF)
      return D_CONT1;
    if(b == 0xE0)
      return D_E0;
    if(b == 0xED)
      return D_ED;
    if(b >= 0xE1 && b <= 0xEF)
      return D_CONT2;
    if(b == 0xF0)
      return D_F0;
    if(b >= 0xF1 && b <= 0xF3)
      return D_CONT3;
    if(b == 0xF4)
      return D_F4;
    return D_ERROR;
  case D_CONT1:
    return cont ? D_ACCEPT : D_ERROR;
  case D_CONT2:
    return cont ? D_CONT1 : D_ERROR;
  case D_E0:
    return b >= 0xA0 && b <= 0xBF ? D_CONT1 : D_ERROR;
  case D_ED:
    return b >= 0x80 && b <= 0x9F ? D_CONT1 : D_ERROR;
  case D_CONT3:
    return cont ? D_CONT2 : D_ERROR;
  case D_F0:
    return b >= 0x90 && b <= 0xBF ? D_CONT2 : D_ERROR;
  case D_F4:
    return b >= 0x80 && b <= 0x8F ? D_CONT2 : D_ERROR;
  default:
    return D_ERROR;
  }
}

/* Before any thread validates (as util/json.c sets cJSON's hooks). */
__attribute__((constructor)) static void
dfa_init(void)
{
  int nul, st;
  unsigned b;

  for(nul = 0; nul < 2; nul++)
    for(b = 0; b < 256; b++) {
      uint64_t row = 0;
      for(st = 0; st <= D_F4; st++)
        row |= (uint64_t)(dfa_next(st, b, nul) * 6) << (st * 6);
      dfa_rows[nul][b] = row;
    }
}

static int
dfa_valid(const unsigned char *u, size_t len, int nul)
{
  const uint64_t *rows = dfa_rows[nul];
  uint64_t st = D_ACCEPT * 6;
  size_t i = 0;

  /* ASCII words first: most keys are ASCII */
  while(i < len) {
    if(i + 8 <= len) {
      uint64_t w;
      memcpy(&w, u + i, 8);
      if(st == D_ACCEPT * 6 && ascii_word(w, nul)) {
        i += 8;
        continue;
      }
      for(size_t e = i + 8; i < e; i++)
        st = (rows[u[i]] >> st) & 63;
      continue;
    }
    st = (rows[u[i]] >> st) & 63;
    i++;
  }
  return st == D_ACCEPT * 6;
}

size_t
hubtok__utf8_valid_prefix(const char *s, size_t len)
{
  return valid_prefix((const unsigned char *)s, len, 0);
}

int
hubtok__utf8_valid(const char *s, size_t len)
{
  return dfa_valid((const unsigned char *)s, len, 0);
}

int
hubtok__utf8_valid_nonul(const char *s, size_t len)
{
  return dfa_valid((const unsigned char *)s, len, 1);
}

int
hubtok__utf8_valid_slow(const char *s, size_t len, int nul)
{
  return valid_prefix((const unsigned char *)s, len, nul) == len;
}

size_t
hubtok_utf16_to_utf8(const uint16_t *s, size_t n, char *out)
{
  char *o = out;
  size_t i = 0;

  while(i < n) {
    uint32_t c = s[i];
    /* ASCII four units at a time, the common case */
    if(c < 0x80) {
      while(i + 4 <= n &&
            ((s[i] | s[i + 1] | s[i + 2] | s[i + 3]) & 0xFF80) == 0) {
        o[0] = (char)s[i];
        o[1] = (char)s[i + 1];
        o[2] = (char)s[i + 2];
        o[3] = (char)s[i + 3];
        o += 4;
        i += 4;
      }
      while(i < n && s[i] < 0x80)
        *o++ = (char)s[i++];
      continue;
    }
    i++;
    if(c >= 0xD800 && c <= 0xDFFF) {
      if(c <= 0xDBFF && i < n && s[i] >= 0xDC00 && s[i] <= 0xDFFF)
        c = 0x10000 + ((c - 0xD800) << 10) + (s[i++] - 0xDC00u);
      else
        c = 0xFFFD;
    }
    o += hubtok__utf8_encode(c, o);
  }
  return (size_t)(o - out);
}
