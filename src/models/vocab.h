/*
 * vocab.h: the token <-> id vocabulary of the WordPiece and WordLevel
 * models (their Vocab / VocabR HashMaps in tokenizers/src/models/
 * wordpiece/mod.rs and wordlevel/mod.rs), read from a tokenizer.json
 * "vocab" object.
 *
 * Ownership: a hubtok__vocab owns its map and arrays; free with
 * hubtok__vocab_free(). Thread safety: lookups on a loaded vocabulary are
 * thread-safe.
 */
#ifndef HUBTOK_MODELS_VOCAB_H
#define HUBTOK_MODELS_VOCAB_H

#include "internal.h"
#include "util/strmap.h"

#include <stdint.h>

struct cJSON;

typedef struct hubtok__vocab {
  hubtok__strmap map;  /* token -> id */
  uint32_t *id_off;    /* id -> key offset in map, UINT32_MAX: none */
  uint32_t *id_len;
  size_t id_cap;
  int borrowed;        /* id_off, id_len and the map are an image's */
} hubtok__vocab;

struct hubtok__image;
struct hubtok__imgw;

/* Load member "vocab" (an object token -> id) of `j`; `path` is j's. On
 * failure v is left for hubtok__vocab_free(). */
hubtok_code hubtok__vocab_from_json(hubtok__vocab *v, const struct cJSON *j,
                                    const char *path, hubtok_error *err);

/* 1 and *id when s[0..len) is in the vocabulary. */
int hubtok__vocab_get(const hubtok__vocab *v, const char *s, size_t len,
                      uint32_t *id);

/* The token of an id, or NULL; borrowed from v. */
const char *hubtok__vocab_token(const hubtok__vocab *v, uint32_t id,
                                size_t *len);

/* Add the vocabulary to an image (sections HUBTOK__IMG_VOCAB..+3). */
void hubtok__vocab_to_image(const hubtok__vocab *v, struct hubtok__imgw *w);

/* Make v a read-only view of an image's vocabulary (the image must
 * outlive v), every entry checked. HUBTOK_EIO when invalid; v is then
 * left for hubtok__vocab_free(). */
hubtok_code hubtok__vocab_from_image(hubtok__vocab *v,
                                     const struct hubtok__image *img)
  HUBTOK__WARN_UNUSED;

size_t hubtok__vocab_memory(const hubtok__vocab *v);

/* NULL-safe. */
void hubtok__vocab_free(hubtok__vocab *v);

#endif /* HUBTOK_MODELS_VOCAB_H */
