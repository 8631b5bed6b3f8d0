/*
 * word_cache.c: the word cache of word_cache.h.
 */
#include "models/word_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Geometry: words of up to KEY_MAX bytes giving up to IDS_MAX tokens;
 * SLOTS slots (calloc'd: pages are only touched when used) behind
 * STRIPES mutexes. */
#define KEY_MAX HUBTOK__WORD_CACHE_KEY_MAX
#define IDS_MAX 12
#define SLOTS 32768
#define STRIPES 64

typedef struct slot {
  uint32_t hash; /* 0: empty */
  uint8_t klen;
  uint8_t n;
  char key[KEY_MAX];
  uint32_t ids[IDS_MAX];
  uint8_t lens[IDS_MAX]; /* token lengths in bytes */
} slot;

struct hubtok__word_cache {
  pthread_mutex_t locks[STRIPES];
  slot slots[SLOTS];
};

uint32_t
hubtok__word_hash(const char *s, size_t len)
{
  uint64_t h = 0x9E3779B97F4A7C15ull ^ len;
  size_t i;

  for(i = 0; i < len; i++)
    h = (h ^ (unsigned char)s[i]) * 0x100000001B3ull;
  h ^= h >> 29;
  return (uint32_t)h | 1; /* never 0 (empty) */
}

hubtok_code
hubtok__word_cache_create(hubtok__word_cache **out)
{
  hubtok__word_cache *c = calloc(1, sizeof(*c));
  size_t i;

  *out = NULL;
  if(!c)
    return HUBTOK_ENOMEM;
  for(i = 0; i < STRIPES; i++) {
    if(pthread_mutex_init(&c->locks[i], NULL)) {
      while(i--)
        pthread_mutex_destroy(&c->locks[i]);
      free(c);
      return HUBTOK_ENOMEM;
    }
  }
  *out = c;
  return HUBTOK_OK;
}

void
hubtok__word_cache_destroy(hubtok__word_cache *c)
{
  size_t i;

  if(!c)
    return;
  for(i = 0; i < STRIPES; i++)
    pthread_mutex_destroy(&c->locks[i]);
  free(c);
}

size_t
hubtok__word_cache_memory(const hubtok__word_cache *c)
{
  return c ? sizeof(*c) : 0;
}

int
hubtok__word_cache_get(hubtok__word_cache *c, uint32_t h, const char *s,
                       size_t len, hubtok__toks *out)
{
  size_t idx = h & (SLOTS - 1), k, pos = 0, n = 0;
  pthread_mutex_t *lock = &c->locks[idx & (STRIPES - 1)];
  const slot *e = &c->slots[idx];
  uint32_t ids[IDS_MAX];
  uint8_t lens[IDS_MAX];

  if(len > KEY_MAX || pthread_mutex_trylock(lock))
    return 0;
  if(e->hash == h && e->klen == len && !memcmp(e->key, s, len)) {
    n = e->n;
    memcpy(ids, e->ids, n * sizeof(ids[0]));
    memcpy(lens, e->lens, n);
  }
  pthread_mutex_unlock(lock);
  if(!n)
    return 0;
  for(k = 0; k < n; k++) {
    if(hubtok__toks_push(out, ids[k], pos, pos + lens[k]))
      return 2;
    pos += lens[k];
  }
  return 1;
}

void
hubtok__word_cache_put(hubtok__word_cache *c, uint32_t h, const char *s,
                       size_t len, const hubtok__tok *t, size_t n)
{
  size_t idx = h & (SLOTS - 1), k, pos = 0;
  pthread_mutex_t *lock = &c->locks[idx & (STRIPES - 1)];
  slot *e = &c->slots[idx];

  if(n == 0 || n > IDS_MAX || len > KEY_MAX)
    return;
  for(k = 0; k < n; k++) {
    if(t[k].raw || t[k].start != pos || t[k].end < t[k].start ||
       t[k].end - t[k].start > 255)
      return;
    pos = t[k].end;
  }
  if(pos != len || pthread_mutex_trylock(lock))
    return;
  e->hash = h;
  e->klen = (uint8_t)len;
  e->n = (uint8_t)n;
  memcpy(e->key, s, len);
  for(k = 0; k < n; k++) {
    e->ids[k] = t[k].id;
    e->lens[k] = (uint8_t)(t[k].end - t[k].start);
  }
  pthread_mutex_unlock(lock);
}

hubtok_code
hubtok__word_cache_tokenize(hubtok__word_cache *c, const char *s,
                            size_t len, hubtok__toks *out,
                            hubtok__word_fn fn, const void *model,
                            hubtok_error *err)
{
  size_t first = out->n;
  uint32_t h = 0;
  hubtok_code rc;

  if(c && len && len <= KEY_MAX) {
    int hit;
    h = hubtok__word_hash(s, len);
    hit = hubtok__word_cache_get(c, h, s, len, out);
    if(hit == 2)
      return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    if(hit)
      return HUBTOK_OK;
  }
  rc = fn(model, s, len, out, err);
  if(!rc && h && out->n > first)
    hubtok__word_cache_put(c, h, s, len, out->v + first, out->n - first);
  return rc;
}
