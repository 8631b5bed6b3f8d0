/*
 * hash.h: the byte-string hash of the engine's tables (the strmap key
 * hash, the word cache's): eight bytes at a time (keys of up to 16
 * bytes, most of a vocabulary and most words, are two overlapping loads
 * and two 64x64->128-bit multiplies), every input bit reaching every
 * output bit. In native byte order: tables written into an image are
 * tied to the build (util/image.h records the byte order).
 *
 * Ownership: none (pure functions). Thread safety: yes.
 */
#ifndef HUBTOK_UTIL_HASH_H
#define HUBTOK_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* 64x64 -> 128-bit multiply, folded: the mixing step. */
static inline uint64_t
hubtok__hash_mix(uint64_t a, uint64_t b)
{
  unsigned __int128 r = (unsigned __int128)a * b;
  return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t
hubtok__hash_load8(const unsigned char *p)
{
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

static inline uint64_t
hubtok__hash_load4(const unsigned char *p)
{
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* The hash of key[0..len), different for each seed. */
static inline uint64_t
hubtok__hash_bytes(const void *key, size_t len, uint64_t seed)
{
  const uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull,
                 k2 = 0x8ebc6af09c88c6e3ull;
  const unsigned char *p = (const unsigned char *)key;
  uint64_t a, b, s = k0 ^ seed ^ (uint64_t)len;

  if(len <= 16) {
    if(len >= 4) {
      size_t q = (len >> 3) << 2; /* 0 below 8 bytes, else 4 */
      a = hubtok__hash_load4(p) << 32 | hubtok__hash_load4(p + q);
      b = hubtok__hash_load4(p + len - 4) << 32 |
          hubtok__hash_load4(p + len - 4 - q);
    }
    else if(len) {
      a = (uint64_t)p[0] << 16 | (uint64_t)p[len >> 1] << 8 | p[len - 1];
      b = 0;
    }
    else
      a = b = 0;
  }
  else {
    size_t i = len;
    while(i > 16) {
      s = hubtok__hash_mix(hubtok__hash_load8(p) ^ k1,
                           hubtok__hash_load8(p + 8) ^ s);
      p += 16;
      i -= 16;
    }
    a = hubtok__hash_load8(p + i - 16);
    b = hubtok__hash_load8(p + i - 8);
  }
  return hubtok__hash_mix(k1 ^ (uint64_t)len,
                          hubtok__hash_mix(a ^ k1, b ^ s) ^ k2);
}

#endif /* HUBTOK_UTIL_HASH_H */
