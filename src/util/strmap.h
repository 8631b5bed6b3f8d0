/*
 * strmap.h: byte-string -> uint32 hash map (open addressing, linear
 * probing). Used for the model vocabularies, the converters' tables and
 * the added tokens.
 *
 * The table has any number of 16-byte slots (a hash maps to a slot by
 * multiplying, not masking): reserved at two slots per key, grown by
 * doubling past 3/4 full. A vocabulary's table, most of the memory a
 * WordPiece tokenizer keeps, is 32 bytes per key, not the 48-96 that
 * 24-byte slots in a power of two took.
 *
 * The map copies the keys into its own arena; a key is identified by its
 * offset there (stable while the map lives, unlike pointers while the map
 * is still growing). Putting an existing key overwrites its value, so the
 * last duplicate wins, as a serde HashMap does.
 *
 * Ownership: the map owns everything; free with hubtok__strmap_free().
 * Thread safety: lookups on a map that is no longer modified are
 * thread-safe; building is not.
 */
#ifndef HUBTOK_UTIL_STRMAP_H
#define HUBTOK_UTIL_STRMAP_H

#include "util/buf.h"

#include <stdint.h>

typedef struct hubtok__strmap_slot {
  uint32_t off;  /* key offset in the arena (below KEY_ARENA_MAX) */
  uint32_t len;  /* key length */
  uint32_t hash; /* 0 marks an empty slot */
  uint32_t val;
} hubtok__strmap_slot;

typedef struct hubtok__strmap {
  hubtok__strmap_slot *slots;
  size_t cap;         /* slots: 0 before the first put, else below 2^32 */
  size_t n;           /* distinct keys */
  size_t max_len;     /* the longest key's length (0 when empty) */
  size_t max_entries; /* put fails with HUBTOK_ETOOLARGE beyond this */
  hubtok__buf keys;   /* key arena */
  int borrowed;       /* slots and keys are an image's (read-only) */
  uint64_t *filter;   /* hubtok__strmap_seal's bits (owned), or NULL */
  size_t filter_mask; /* the filter's bit count - 1 */
} hubtok__strmap;

struct hubtok__image;
struct hubtok__imgw;

/* Cannot fail. */
void hubtok__strmap_init(hubtok__strmap *m, size_t max_entries);

/* Insert or overwrite. *key_off (may be NULL) receives the key's arena
 * offset. *existed (may be NULL) is set to 1 when the key was there.
 * On failure the map is left valid (unchanged or with the key added). */
hubtok_code hubtok__strmap_put(hubtok__strmap *m, const char *key,
                               size_t len, uint32_t val, uint32_t *key_off,
                               int *existed) HUBTOK__WARN_UNUSED;

/* Make room for n keys of key_bytes bytes in all (their NULs included)
 * so that loading them does not rehash or move the arena. A hint: the
 * map still grows past it. */
hubtok_code hubtok__strmap_reserve(hubtok__strmap *m, size_t n,
                                   size_t key_bytes) HUBTOK__WARN_UNUSED;

/* The map will be read, not changed, from now on (a later put drops
 * the filter): keep a filter of its keys' hashes (two bits per key in
 * 16 per key, from the hashes the slots hold), so that a key that is
 * not there is mostly answered without reading the table (WordPiece
 * looks up many such keys). HUBTOK_ENOMEM leaves the map without a
 * filter, still usable. */
hubtok_code hubtok__strmap_seal(hubtok__strmap *m) HUBTOK__WARN_UNUSED;

/* 0 when the seal's filter turns key away (it is not in the map), 1
 * when the filter lets it through to the table or there is no filter. */
int hubtok__strmap_filter_passes(const hubtok__strmap *m, const char *key,
                                 size_t len);

/* 1 and *val when found, else 0. val may be NULL. */
int hubtok__strmap_get(const hubtok__strmap *m, const char *key, size_t len,
                       uint32_t *val);

/* The key stored at an offset returned by put. Borrowed; valid until the
 * next put or free. */
const char *hubtok__strmap_key(const hubtok__strmap *m, uint32_t off);

/* Heap bytes held. */
size_t hubtok__strmap_memory(const hubtok__strmap *m);

/* Add the map to an image as sections `tag` (the slots) and `tag + 1`
 * (the key arena). */
void hubtok__strmap_to_image(const hubtok__strmap *m, struct hubtok__imgw *w,
                             uint32_t tag);

/* Make m a read-only view of sections `tag` and `tag + 1` of img (the
 * image must outlive m; put then fails). Every slot is checked: its key
 * inside the arena and NUL-terminated, its value below max_val, and one
 * slot at least empty, so that a probe ends; and every 64th key's hash
 * is recomputed (an image of a build that hashed differently is
 * refused). HUBTOK_EIO when not. */
hubtok_code hubtok__strmap_from_image(hubtok__strmap *m,
                                      const struct hubtok__image *img,
                                      uint32_t tag, uint32_t max_val)
  HUBTOK__WARN_UNUSED;

/* NULL-safe; the map can be reused after hubtok__strmap_init(). */
void hubtok__strmap_free(hubtok__strmap *m);

#endif /* HUBTOK_UTIL_STRMAP_H */
