/*
 * strmap.c: open-addressing hash map from byte strings to uint32 (see
 * strmap.h).
 */
#include "util/strmap.h"
#include "util/hash.h"
#include "util/image.h"

#include <stdlib.h>
#include <string.h>

#define KEY_ARENA_MAX ((size_t)1 << 30)

/* The key's 32-bit hash (util/hash.h); the high bits pick the slot.
 * Never 0 (0 = empty slot). */
static uint32_t
hash_bytes(const char *key, size_t len)
{
  uint64_t a = hubtok__hash_bytes(key, len, 0);
  uint32_t r = (uint32_t)(a >> 32) ^ (uint32_t)a;
  return r ? r : 1;
}

/* The first slot of hash h in a table of cap slots: h scaled to
 * [0, cap), so any cap works. */
static size_t
home(uint32_t h, size_t cap)
{
  return (size_t)(((uint64_t)h * cap) >> 32);
}

/* A table reserved for n keys: half full, in steps of 64 slots. A miss
 * (most of WordPiece's lookups) then probes about 2.5 slots; at 3/4
 * full it probed about 8 and BERT on multilingual text was 14% slower. */
static size_t
cap_for(size_t n)
{
  size_t c = n * 2 + 64;
  return c / 64 * 64;
}

void
hubtok__strmap_init(hubtok__strmap *m, size_t max_entries)
{
  m->slots = NULL;
  m->cap = 0;
  m->n = 0;
  m->max_len = 0;
  m->max_entries = max_entries;
  m->borrowed = 0;
  m->filter = NULL;
  m->filter_mask = 0;
  hubtok__buf_init(&m->keys, KEY_ARENA_MAX);
}

/* The filter's two bits for hash h (from disjoint bits of a product:
 * the filter has fewer than 2^22 bits). */
static inline uint64_t
filter_at(uint32_t h, size_t mask, int which)
{
  uint64_t y = (uint64_t)h * 0x9E3779B97F4A7C15ull;
  return (which ? y >> 42 : y >> 20) & mask;
}

static inline int
filter_has(const hubtok__strmap *m, uint32_t h)
{
  uint64_t a = filter_at(h, m->filter_mask, 0);
  uint64_t b = filter_at(h, m->filter_mask, 1);
  return (m->filter[a >> 6] >> (a & 63) & 1) &&
         (m->filter[b >> 6] >> (b & 63) & 1);
}

/* Back to no filter (unsealed). */
static void
drop_filter(hubtok__strmap *m)
{
  free(m->filter);
  m->filter = NULL;
  m->filter_mask = 0;
}

hubtok_code
hubtok__strmap_seal(hubtok__strmap *m)
{
  size_t bits = 512, i;

  drop_filter(m);
  while(bits < m->n * 16 && bits < ((size_t)1 << 21))
    bits *= 2;
  m->filter = calloc(bits / 64, sizeof(*m->filter));
  if(!m->filter)
    return HUBTOK_ENOMEM;
  m->filter_mask = bits - 1;
  for(i = 0; i < m->cap; i++) {
    uint32_t h = m->slots[i].hash;
    uint64_t a, b;
    if(!h)
      continue;
    a = filter_at(h, m->filter_mask, 0);
    b = filter_at(h, m->filter_mask, 1);
    m->filter[a >> 6] |= (uint64_t)1 << (a & 63);
    m->filter[b >> 6] |= (uint64_t)1 << (b & 63);
  }
  return HUBTOK_OK;
}

void
hubtok__strmap_free(hubtok__strmap *m)
{
  if(!m)
    return;
  if(m->borrowed) {
    m->borrowed = 0;
    m->keys.p = NULL;
    m->keys.len = m->keys.cap = 0;
  }
  else {
    free(m->slots);
    hubtok__buf_free(&m->keys);
  }
  drop_filter(m);
  m->slots = NULL;
  m->cap = 0;
  m->n = 0;
  m->max_len = 0;
}

/* Rehash into a table of ncap slots (more than m->n, below 2^32). */
static hubtok_code
rehash(hubtok__strmap *m, size_t ncap)
{
  hubtok__strmap_slot *ns;
  size_t i;

  if(ncap > UINT32_MAX || ncap > ((size_t)-1) / sizeof(*ns))
    return HUBTOK_ENOMEM;
  ns = calloc(ncap, sizeof(*ns));
  if(!ns)
    return HUBTOK_ENOMEM;
  for(i = 0; i < m->cap; i++) {
    size_t j;
    if(!m->slots[i].hash)
      continue;
    j = home(m->slots[i].hash, ncap);
    while(ns[j].hash)
      j = j + 1 == ncap ? 0 : j + 1;
    ns[j] = m->slots[i];
  }
  free(m->slots);
  m->slots = ns;
  m->cap = ncap;
  return HUBTOK_OK;
}

static hubtok_code
grow(hubtok__strmap *m)
{
  return rehash(m, m->cap ? m->cap * 2 : 64);
}

/* true when one more key would fill more than 3/4 of the table */
static int
full(const hubtok__strmap *m)
{
  return (m->n + 1) * 4 > m->cap * 3;
}

hubtok_code
hubtok__strmap_reserve(hubtok__strmap *m, size_t n, size_t key_bytes)
{
  size_t ncap;
  hubtok_code rc;

  if(m->borrowed)
    return HUBTOK_EINVAL;
  if(n > m->max_entries)
    n = m->max_entries;
  if(n > UINT32_MAX / 2)
    return HUBTOK_ENOMEM;
  ncap = cap_for(n);
  if(ncap > m->cap) {
    rc = rehash(m, ncap);
    if(rc)
      return rc;
  }
  /* past the arena's limit: no hint (put reports the limit) */
  if(key_bytes >= KEY_ARENA_MAX - m->keys.len)
    return HUBTOK_OK;
  rc = hubtok__buf_reserve(&m->keys, key_bytes);
  if(rc)
    hubtok__strmap_free(m); /* the arena is gone (buf.c): as put does */
  return rc;
}

static hubtok__strmap_slot *
find(const hubtok__strmap *m, const char *key, size_t len, uint32_t h)
{
  size_t j;

  if(!m->cap)
    return NULL;
  j = home(h, m->cap);
  for(;;) {
    hubtok__strmap_slot *s = &m->slots[j];
    if(!s->hash)
      return s;
    if(s->hash == h && s->len == len &&
       !memcmp(m->keys.p + s->off, key, len))
      return s;
    j = j + 1 == m->cap ? 0 : j + 1;
  }
}

hubtok_code
hubtok__strmap_put(hubtok__strmap *m, const char *key, size_t len,
                   uint32_t val, uint32_t *key_off, int *existed)
{
  uint32_t h = hash_bytes(key, len);
  hubtok__strmap_slot *s;
  hubtok_code rc;
  size_t off;

  if(existed)
    *existed = 0;
  if(m->borrowed)
    return HUBTOK_EINVAL;
  drop_filter(m); /* no longer sealed */
  if(len > UINT32_MAX)
    return HUBTOK_ETOOLARGE;
  s = find(m, key, len, h);
  if(s && s->hash) {
    s->val = val;
    if(existed)
      *existed = 1;
    if(key_off)
      *key_off = s->off;
    return HUBTOK_OK;
  }
  if(m->n >= m->max_entries)
    return HUBTOK_ETOOLARGE;
  if(full(m)) {
    rc = grow(m);
    if(rc)
      return rc;
    s = find(m, key, len, h);
  }
  /* Keys are NUL-separated so each can be read as a C string too. */
  off = m->keys.len;
  rc = hubtok__buf_reserve(&m->keys, len + 1);
  if(!rc)
    rc = hubtok__buf_add(&m->keys, key, len);
  if(!rc)
    rc = hubtok__buf_addc(&m->keys, 0);
  if(rc) {
    /* the arena was freed: the map is unusable, drop everything */
    hubtok__strmap_free(m);
    return rc;
  }
  s->off = (uint32_t)off; /* the arena stays below KEY_ARENA_MAX */
  s->len = (uint32_t)len;
  s->hash = h;
  s->val = val;
  m->n++;
  if(len > m->max_len)
    m->max_len = len;
  if(key_off)
    *key_off = (uint32_t)off;
  return HUBTOK_OK;
}

int
hubtok__strmap_filter_passes(const hubtok__strmap *m, const char *key,
                             size_t len)
{
  return !m->filter || filter_has(m, hash_bytes(key, len));
}

int
hubtok__strmap_get(const hubtok__strmap *m, const char *key, size_t len,
                   uint32_t *val)
{
  hubtok__strmap_slot *s;
  uint32_t h;

  if(len > UINT32_MAX || !m->cap)
    return 0;
  h = hash_bytes(key, len);
  if(m->filter && !filter_has(m, h))
    return 0;
  s = find(m, key, len, h);
  if(!s || !s->hash)
    return 0;
  if(val)
    *val = s->val;
  return 1;
}

const char *
hubtok__strmap_key(const hubtok__strmap *m, uint32_t off)
{
  return m->keys.p + off;
}

size_t
hubtok__strmap_memory(const hubtok__strmap *m)
{
  return m->cap * sizeof(hubtok__strmap_slot) + m->keys.cap +
         (m->filter ? (m->filter_mask + 1) / 8 : 0);
}

void
hubtok__strmap_to_image(const hubtok__strmap *m, hubtok__imgw *w,
                        uint32_t tag)
{
  hubtok__imgw_add(w, tag, m->slots, m->cap * sizeof(*m->slots));
  hubtok__imgw_add(w, tag + 1, m->keys.p, m->keys.p ? m->keys.len + 1 : 0);
}

hubtok_code
hubtok__strmap_from_image(hubtok__strmap *m, const hubtok__image *img,
                          uint32_t tag, uint32_t max_val)
{
  const hubtok__strmap_slot *slots;
  const char *keys;
  size_t cap, nkeys, klen, i, n = 0, max_len = 0;

  hubtok__strmap_init(m, 0);
  slots = hubtok__image_get(img, tag, sizeof(*slots), &cap);
  keys = hubtok__image_get(img, tag + 1, 1, &nkeys);
  if(!slots || !keys || cap > UINT32_MAX)
    return HUBTOK_EIO;
  if(nkeys && keys[nkeys - 1])
    return HUBTOK_EIO;
  klen = nkeys ? nkeys - 1 : 0;
  for(i = 0; i < cap; i++) {
    const hubtok__strmap_slot *s = &slots[i];
    if(!s->hash)
      continue;
    if(!nkeys || s->off > klen || s->len > klen - s->off ||
       keys[s->off + s->len] || s->val >= max_val)
      return HUBTOK_EIO;
    /* every 64th key's hash recomputed: an image from a build that
     * hashed differently is refused, not searched in vain */
    if(n % 64 == 0 && s->hash != hash_bytes(keys + s->off, s->len))
      return HUBTOK_EIO;
    n++;
    if(s->len > max_len)
      max_len = s->len;
  }
  if(cap && n >= cap)
    return HUBTOK_EIO;
  m->slots = cap ? (hubtok__strmap_slot *)slots : NULL;
  m->cap = cap;
  m->n = n;
  m->max_len = max_len;
  m->max_entries = n;
  m->keys.p = nkeys ? (char *)keys : NULL;
  m->keys.len = klen;
  m->keys.cap = 0; /* not heap */
  m->borrowed = 1;
  return HUBTOK_OK;
}
