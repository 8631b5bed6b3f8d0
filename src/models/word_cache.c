/*
 * word_cache.c: the word cache of word_cache.h.
 */
#include "models/word_cache.h"
#include "util/hash.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Geometry: two tables of slots, each slot a seqlock over 32-bit words
 * (below), in sets of WAYS adjacent slots. A word may sit in any slot of
 * the set its hash picks; a put takes an empty slot of the set or else
 * one picked by other bits of the hash (random replacement: a hit still
 * writes nothing). Measured on the Brown corpus, two ways instead of a
 * direct-mapped table of the same size cut the misses by a third (gpt2
 * 11.8% -> 7.8%, TinyLlama 20% -> 15%, t5-small 19% -> 14%), and twice
 * the slots gave 2.5-8% more speed where half gave 2-16% less: the cache
 * is short of room more than of time.
 *
 * So most words live in the small table: 64-byte slots (one cache line
 * per word, SMALL_SLOTS of them, 4 MB), which hold a word whose key,
 * ids and lengths fit in 13 words (any word of up to 16 bytes giving up
 * to 7 tokens, up to 44 bytes as one token). The rest (long words, and
 * words of many tokens: byte-level pieces of a non-Latin word) go to the
 * big table: 128-byte slots, BIG_SLOTS of them (512 KB), up to KEY_MAX
 * bytes. A lookup reads the small table's set, then the big table's on a
 * miss. Both are calloc'd: pages are only touched when used. Writers
 * take one of STRIPES mutexes (by set) with trylock only. */
#define KEY_MAX HUBTOK__WORD_CACHE_KEY_MAX
#define IDS_MAX 32
#define SMALL_SLOTS 65536
#define SMALL_WORDS 16
#define BIG_SLOTS 4096
#define BIG_WORDS 32
#define WAYS 2
#define STRIPES 64

/* A slot's 32-bit words, read and written with relaxed atomics under
 * its sequence number (a seqlock): readers take no lock and write
 * nothing, so hits on two cores do not bounce cache lines; a reader that
 * overlaps a writer sees the sequence change and misses.
 *   w[0]                  sequence, odd while a writer is inside
 *   w[1]                  hash (0: empty)
 *   w[2]                  key length | token count << 8 | tag << 16
 *   w[3 ..)               key bytes, KW(len) words
 *   then n ids, then the n token lengths, one byte each */
#define W_SEQ 0
#define W_HASH 1
#define W_HEAD 2
#define W_KEY 3
#define KW(len) (((len) + 3) / 4)

typedef struct table {
  uint32_t *w;       /* slots * words words, 64-byte aligned */
  size_t slots;      /* a power of two */
  size_t words;      /* per slot */
} table;

/* The big table's filter: HINT_BITS bits, cleared after HINT_PUTS puts
 * into the big table (so at most HINT_PUTS / HINT_BITS = 1/16 of them
 * are set). */
#define HINT_BITS ((size_t)1 << 18)
#define HINT_PUTS (4 * BIG_SLOTS)

struct hubtok__word_cache {
  pthread_mutex_t locks[STRIPES];
  table small, big;
  /* a bit per hash (bits 12.. of it): a word with that hash was put in
   * the big table since the last clear. A lookup that misses the small
   * table reads the big one only when its bit is set, so most misses
   * (words seen for the first time) cost the small set's lines alone. A
   * clear can hide a word of the big table: a miss, never a wrong hit. */
  uint64_t in_big[HINT_BITS / 64];
  size_t big_puts; /* atomic: puts into the big table since the clear */
  void *block; /* calloc'd: both tables */
};

/* Words of payload a word of len bytes and n tokens needs. */
static size_t
need_words(size_t len, size_t n)
{
  return KW(len) + n + (n + 3) / 4;
}

/* The big table's filter bit of hash h: c->in_big[bit / 64], bit % 64. */
static size_t
hint_bit(uint32_t h)
{
  return (h >> 12) & (HINT_BITS - 1);
}

/* Never 0 (0 marks an empty slot). */
static uint32_t
word_hash(unsigned tag, const char *s, size_t len)
{
  return (uint32_t)hubtok__hash_bytes(s, len, (uint64_t)tag << 32) | 1;
}

hubtok_code
hubtok__word_cache_create(hubtok__word_cache **out)
{
  hubtok__word_cache *c = calloc(1, sizeof(*c));
  size_t i, small = SMALL_SLOTS * SMALL_WORDS * 4;
  uint32_t *base;

  *out = NULL;
  if(!c || !(c->block = calloc(1, small + BIG_SLOTS * BIG_WORDS * 4 + 64))) {
    free(c);
    return HUBTOK_ENOMEM;
  }
  base = (uint32_t *)(((uintptr_t)c->block + 63) & ~(uintptr_t)63);
  c->small.w = base;
  c->small.slots = SMALL_SLOTS;
  c->small.words = SMALL_WORDS;
  c->big.w = base + small / 4;
  c->big.slots = BIG_SLOTS;
  c->big.words = BIG_WORDS;
  for(i = 0; i < STRIPES; i++) {
    if(pthread_mutex_init(&c->locks[i], NULL)) {
      while(i--)
        pthread_mutex_destroy(&c->locks[i]);
      free(c->block);
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
  free(c->block);
  free(c);
}

size_t
hubtok__word_cache_memory(const hubtok__word_cache *c)
{
  return c ? sizeof(*c) + (SMALL_SLOTS * SMALL_WORDS +
                           BIG_SLOTS * BIG_WORDS) * 4 + 64 : 0;
}

/* 1 when slot idx of t holds the word s[0..len) (len <= KEY_MAX) under
 * the tag of head (len | tag << 16): its tokens (offsets relative to s)
 * were appended to out; 2 on ENOMEM while appending; 0 on a miss or a
 * read that overlapped a write. */
static inline __attribute__((always_inline)) int
slot_get(const uint32_t *tw, size_t words, size_t idx, uint32_t h,
         uint32_t head, const char *s, size_t len, hubtok__toks *out)
{
  const uint32_t *e = tw + idx * words;
  uint32_t w[BIG_WORDS], s1, s2, head_w;
  size_t k, pos = 0, n, kw = KW(len), end;
  const unsigned char *lens;


  s1 = __atomic_load_n(&e[W_SEQ], __ATOMIC_ACQUIRE);
  if(s1 & 1)
    return 0;
  /* the header first: most misses end here */
  if(__atomic_load_n(&e[W_HASH], __ATOMIC_RELAXED) != h)
    return 0;
  head_w = __atomic_load_n(&e[W_HEAD], __ATOMIC_RELAXED);
  if((head_w & 0xFF00FF) != head)
    return 0;
  /* then only the words in use (a torn header is caught by the sequence
   * check below) */
  n = (head_w >> 8) & 0xFF;
  end = W_KEY + need_words(len, n);
  if(n == 0 || n > IDS_MAX || end > words)
    return 0;
  for(k = W_KEY; k < end; k++)
    w[k] = __atomic_load_n(&e[k], __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
  s2 = __atomic_load_n(&e[W_SEQ], __ATOMIC_RELAXED);
  if(s1 != s2 || memcmp(&w[W_KEY], s, len))
    return 0;
  lens = (const unsigned char *)&w[W_KEY + kw + n];
  for(k = 0; k < n; k++) {
    if(hubtok__toks_push(out, w[W_KEY + kw + k], pos, pos + lens[k]))
      return 2;
    pos += lens[k];
  }
  return 1;
}

/* slot_get over the slots of h's set in a table of `words`-word slots,
 * its home slot first (inlined per table: words is a constant). */
static inline __attribute__((always_inline)) int
set_get(const uint32_t *tw, size_t words, size_t slots, uint32_t h,
        uint32_t head, const char *s, size_t len, hubtok__toks *out)
{
  size_t idx = h & (slots - 1), way;

  for(way = 0; way < WAYS; way++) {
    int r = slot_get(tw, words, idx ^ way, h, head, s, len, out);
    if(r)
      return r;
  }
  return 0;
}

/* The small table, then the big one (len <= KEY_MAX: the caller checks). */
static int
cache_get(hubtok__word_cache *c, uint32_t h, uint32_t head, const char *s,
          size_t len, hubtok__toks *out)
{
  size_t bit = hint_bit(h);
  int r = 0;

  if(W_KEY + need_words(len, 1) <= SMALL_WORDS)
    r = set_get(c->small.w, SMALL_WORDS, SMALL_SLOTS, h, head, s, len,
                out);
  if(r || !(__atomic_load_n(&c->in_big[bit / 64], __ATOMIC_RELAXED) >>
            (bit % 64) & 1))
    return r;
  return set_get(c->big.w, BIG_WORDS, BIG_SLOTS, h, head, s, len, out);
}

/* Keep the n tokens tk of word s[0..len) when they fit and tile it: in
 * the small table when they fit there, else in the big one. */
static void
cache_put(hubtok__word_cache *c, uint32_t h, uint32_t head, const char *s,
          size_t len, const hubtok__tok *tk, size_t n)
{
  const table *t;
  size_t idx, k, pos = 0, way, pick, kw = KW(len), need;
  pthread_mutex_t *lock;
  uint32_t w[BIG_WORDS], seq, *e;
  unsigned char *lens;

  if(n == 0 || n > IDS_MAX || len > KEY_MAX)
    return;
  need = W_KEY + need_words(len, n);
  if(need <= SMALL_WORDS)
    t = &c->small;
  else if(need <= BIG_WORDS)
    t = &c->big;
  else
    return;
  for(k = 0; k < n; k++) {
    if(tk[k].raw || tk[k].start != pos || tk[k].end < tk[k].start ||
       tk[k].end - tk[k].start > 255)
      return;
    pos = tk[k].end;
  }
  if(pos != len)
    return;
  memset(w, 0, sizeof(w));
  w[W_HASH] = h;
  w[W_HEAD] = head | (uint32_t)n << 8;
  memcpy(&w[W_KEY], s, len);
  lens = (unsigned char *)&w[W_KEY + kw + n];
  for(k = 0; k < n; k++) {
    w[W_KEY + kw + k] = tk[k].id;
    lens[k] = (unsigned char)(tk[k].end - tk[k].start);
  }
  if(t == &c->big) {
    size_t bit = hint_bit(h);
    if(__atomic_add_fetch(&c->big_puts, 1, __ATOMIC_RELAXED) % HINT_PUTS ==
       0)
      for(k = 0; k < HINT_BITS / 64; k++)
        __atomic_store_n(&c->in_big[k], 0, __ATOMIC_RELAXED);
    __atomic_fetch_or(&c->in_big[bit / 64], (uint64_t)1 << (bit % 64),
                      __ATOMIC_RELAXED);
  }
  idx = h & (t->slots - 1);
  lock = &c->locks[(idx / WAYS) & (STRIPES - 1)];
  /* writers of one stripe take turns; a busy stripe skips the put */
  if(pthread_mutex_trylock(lock))
    return;
  /* an empty slot of the set, else one picked by the hash's high bits */
  pick = (h >> 20) % WAYS;
  for(way = 0; way < WAYS; way++)
    if(!__atomic_load_n(&t->w[(idx ^ way) * t->words + W_HASH],
                        __ATOMIC_RELAXED)) {
      pick = way;
      break;
    }
  e = t->w + (idx ^ pick) * t->words;
  seq = __atomic_load_n(&e[W_SEQ], __ATOMIC_RELAXED);
  __atomic_store_n(&e[W_SEQ], seq + 1, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_RELEASE);
  for(k = W_HASH; k < t->words; k++)
    __atomic_store_n(&e[k], w[k], __ATOMIC_RELAXED);
  __atomic_store_n(&e[W_SEQ], seq + 2, __ATOMIC_RELEASE);
  pthread_mutex_unlock(lock);
}

void
hubtok__word_cache_prefetch(const hubtok__word_cache *c, unsigned tag,
                            const char *s, size_t len)
{
  size_t idx, way;

  if(!c || !len || len > KEY_MAX)
    return;
  /* the small table's set: its two ways' lines */
  idx = word_hash(tag & 1, s, len) & (SMALL_SLOTS - 1);
  for(way = 0; way < WAYS; way++)
    __builtin_prefetch(c->small.w + (idx ^ way) * SMALL_WORDS);
}

hubtok_code
hubtok__word_cache_tokenize(hubtok__word_cache *c, unsigned tag,
                            const char *s, size_t len, hubtok__toks *out,
                            hubtok__word_fn fn, const void *model,
                            hubtok_error *err)
{
  size_t first = out->n;
  uint32_t h = 0, head = (uint32_t)len | (uint32_t)(tag & 1) << 16;
  hubtok_code rc;

  if(c && len && len <= KEY_MAX) {
    int hit;
    h = word_hash(tag & 1, s, len);
    hit = cache_get(c, h, head, s, len, out);
    if(hit == 2)
      return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    if(hit)
      return HUBTOK_OK;
  }
  rc = fn(model, s, len, out, err);
  if(!rc && h && out->n > first)
    cache_put(c, h, head, s, len, out->v + first, out->n - first);
  return rc;
}
