/*
 * model.h: the model stage (tokenizers/src/models/mod.rs): turns one
 * normalized, pre-tokenized piece into tokens.
 *
 * A model is built by hubtok__model_from_json() and is immutable after;
 * tokenize() may run from several threads at once (scratch lives in the
 * call). Free with hubtok__model_free().
 */
#ifndef HUBTOK_MODELS_MODEL_H
#define HUBTOK_MODELS_MODEL_H

#include "internal.h"

#include <stdint.h>

struct cJSON;
struct hubtok__image;
struct hubtok__imgw;

/* Model kinds, as stored in an image (util/image.h). */
enum {
  HUBTOK__MODEL_BPE = 1,
  HUBTOK__MODEL_WORDPIECE = 2,
  HUBTOK__MODEL_WORDLEVEL = 3,
  HUBTOK__MODEL_UNIGRAM = 4
};

/* Largest vocabulary (and largest token id + 1) accepted. */
#define HUBTOK__VOCAB_MAX ((size_t)1 << 24)

/* One model token: id and [start, end) in bytes of the piece. `raw` is
 * 1 when the token's text is the piece's bytes [start, end) rather than
 * the vocabulary entry of id (Unigram's unknown pieces keep their text);
 * hubtok__toks_push() sets it to 0. */
typedef struct hubtok__tok {
  uint32_t id;
  int raw;
  size_t start;
  size_t end;
} hubtok__tok;

/* Growable token vector; owns v; free with hubtok__toks_free(). */
typedef struct hubtok__toks {
  hubtok__tok *v;
  size_t n;
  size_t cap;
} hubtok__toks;

hubtok_code hubtok__toks_push(hubtok__toks *t, uint32_t id, size_t start,
                              size_t end) HUBTOK__WARN_UNUSED;
void hubtok__toks_free(hubtok__toks *t);

typedef struct hubtok__model hubtok__model;

typedef struct hubtok__model_ops {
  /* Append the tokens of s[0..len) (valid UTF-8) to out. */
  hubtok_code (*tokenize)(const hubtok__model *m, const char *s, size_t len,
                          hubtok__toks *out, hubtok_error *err);
  /* 1 and *id when token is in the vocabulary. */
  int (*token_to_id)(const hubtok__model *m, const char *s, size_t len,
                     uint32_t *id);
  /* The token of an id or NULL; borrowed from the model. */
  const char *(*id_to_token)(const hubtok__model *m, uint32_t id,
                             size_t *len);
  size_t (*vocab_size)(const hubtok__model *m);
  size_t (*memory)(const hubtok__model *m);
  void (*destroy)(hubtok__model *m);
  uint32_t kind; /* HUBTOK__MODEL_* */
  /* Add the model's tables to an image (util/image.h). */
  void (*to_image)(const hubtok__model *m, struct hubtok__imgw *w);
  /* Optional (NULL: the model has none): tokenize() of the ByteLevel
   * form of s[0..len) (each byte mapped to its char, util/byte_level.h),
   * for the fused encode path. The tokens' start and end are positions
   * in s: a token covers the bytes whose chars it holds. s need not be
   * valid UTF-8 on its own (a word may end inside a char). */
  hubtok_code (*tokenize_bytes)(const hubtok__model *m, const char *s,
                                size_t len, hubtok__toks *out,
                                hubtok_error *err);
  /* Optional: start loading what a tokenize (bytes 0) or tokenize_bytes
   * (bytes 1) of s[0..len) soon after will read first, such as its word
   * cache slots. No effect on results. */
  void (*prefetch)(const hubtok__model *m, const char *s, size_t len,
                   int bytes);
} hubtok__model_ops;

struct hubtok__model {
  const hubtok__model_ops *ops;
};

/* Build the model described by `j` (tokenizer.json "model"); `path` is
 * its JSON path. Unknown types give HUBTOK_EUNSUPPORTED. On success *out
 * is owned by the caller. */
hubtok_code hubtok__model_from_json(const struct cJSON *j, const char *path,
                                    hubtok__model **out, hubtok_error *err);

/* Add the model's kind and tables to an image. The rest of the model
 * (its options) stays in the image's JSON section. */
void hubtok__model_to_image(const hubtok__model *m, struct hubtok__imgw *w);

/* Build a model from its options `j` (the "model" object without its
 * tables) and an image's tables, borrowed: the image must outlive the
 * model. An invalid image gives HUBTOK_EIO. Same contract as
 * hubtok__model_from_json() otherwise. */
hubtok_code hubtok__model_from_image(const struct cJSON *j, const char *path,
                                     const struct hubtok__image *img,
                                     hubtok__model **out, hubtok_error *err);

/* One factory per model type (called by hubtok__model_from_json and
 * hubtok__model_from_image): img NULL reads the tables from `j`, else
 * from the image. */
hubtok_code hubtok__bpe_build(const struct cJSON *j, const char *path,
                              const struct hubtok__image *img,
                              hubtok__model **out, hubtok_error *err);
hubtok_code hubtok__wordpiece_build(const struct cJSON *j, const char *path,
                                    const struct hubtok__image *img,
                                    hubtok__model **out, hubtok_error *err);
hubtok_code hubtok__wordlevel_build(const struct cJSON *j, const char *path,
                                    const struct hubtok__image *img,
                                    hubtok__model **out, hubtok_error *err);
hubtok_code hubtok__unigram_build(const struct cJSON *j, const char *path,
                                  const struct hubtok__image *img,
                                  hubtok__model **out, hubtok_error *err);

/* An invalid image's error (HUBTOK_EIO). */
hubtok_code hubtok__image_bad(hubtok_error *err, const char *what);

/* NULL-safe. */
void hubtok__model_free(hubtok__model *m);

#endif /* HUBTOK_MODELS_MODEL_H */
