/*
 * word_cache.h: the cache of short words' tokens that the BPE and Unigram
 * models keep (as the Rust models' caches do): word -> ids and token
 * lengths. Two two-way set-associative tables (word_cache.c): one of
 * 64-byte slots for most words, one of 128-byte slots for long words and
 * words of many tokens; the newest word takes an empty slot of its set,
 * or evicts one.
 *
 * A model is shared by every thread. Each slot is a seqlock: readers take
 * no lock and write nothing (a read that overlaps a write is a miss);
 * writers take a striped mutex with trylock only (a busy stripe skips the
 * put). A miss means the word is tokenized again, never a wait. Only results whose tokens tile the
 * word (each starts where the previous ended) are kept, so a hit gives
 * exactly the tokens and offsets a miss would.
 *
 * Ownership: the model owns its cache (hubtok__word_cache_destroy).
 * Thread safety: get and put from any thread.
 */
#ifndef HUBTOK_MODELS_WORD_CACHE_H
#define HUBTOK_MODELS_WORD_CACHE_H

#include "models/model.h"

#include <stdint.h>

/* Longest word kept, in bytes. */
#define HUBTOK__WORD_CACHE_KEY_MAX 46

typedef struct hubtok__word_cache hubtok__word_cache;

hubtok_code hubtok__word_cache_create(hubtok__word_cache **out)
  HUBTOK__WARN_UNUSED;
/* NULL-safe. */
void hubtok__word_cache_destroy(hubtok__word_cache *c);
/* Bytes held (0 for NULL). */
size_t hubtok__word_cache_memory(const hubtok__word_cache *c);

/* Tokenize one word through the cache: on a hit its tokens are appended
 * to out; on a miss (or with c NULL, or a long word) fn(model, s, len,
 * out, err) appends them and they are kept for next time. `tag` (0 or 1)
 * keeps two kinds of key apart in one cache: a word under one tag never
 * answers a lookup under the other (BPE keys its mapped words with 0 and
 * the raw bytes of its fused ByteLevel path with 1). */
typedef hubtok_code (*hubtok__word_fn)(const void *model, const char *s,
                                       size_t len, hubtok__toks *out,
                                       hubtok_error *err);
hubtok_code hubtok__word_cache_tokenize(hubtok__word_cache *c,
                                        unsigned tag, const char *s,
                                        size_t len,
                                        hubtok__toks *out,
                                        hubtok__word_fn fn,
                                        const void *model,
                                        hubtok_error *err)
  HUBTOK__WARN_UNUSED;

/* Start loading the slots a lookup of s[0..len) under tag reads, so
 * that a lookup a little later finds them in the CPU cache. No effect
 * on results. */
void hubtok__word_cache_prefetch(const hubtok__word_cache *c, unsigned tag,
                                 const char *s, size_t len);

#endif /* HUBTOK_MODELS_WORD_CACHE_H */
