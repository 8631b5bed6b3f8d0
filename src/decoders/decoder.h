/*
 * decoder.h: the decoder stage (tokenizers/src/decoders/mod.rs): turns
 * the token strings of the ids back into text. Each decoder maps a list
 * of strings to a new list (decode_chain); the final text is the list
 * joined.
 *
 * Decoders are immutable after hubtok__decoder_from_json(); decode may
 * run from several threads at once. Free with hubtok__decoder_free(). A
 * hubtok__strs is per-call data: hubtok__strs_free().
 */
#ifndef HUBTOK_DECODERS_DECODER_H
#define HUBTOK_DECODERS_DECODER_H

#include "internal.h"
#include "util/buf.h"

struct cJSON;

/* Largest decoded text, in bytes. */
#define HUBTOK__DECODE_MAX ((size_t)1 << 30)

/* A list of strings stored back to back: string i is
 * data.p + off[i], off[i + 1] - off[i] bytes. */
typedef struct hubtok__strs {
  hubtok__buf data;
  size_t *off; /* n + 1 entries once anything was pushed */
  size_t n;
  size_t cap;
} hubtok__strs;

/* Cannot fail. */
void hubtok__strs_init(hubtok__strs *v);
/* Append a string. */
hubtok_code hubtok__strs_push(hubtok__strs *v, const char *s, size_t len)
  HUBTOK__WARN_UNUSED;
/* Append bytes to the last string (pushes an empty one first when the
 * list is empty). */
hubtok_code hubtok__strs_extend(hubtok__strs *v, const char *s, size_t len)
  HUBTOK__WARN_UNUSED;
/* String i; borrowed until the next push. */
const char *hubtok__strs_get(const hubtok__strs *v, size_t i, size_t *len);
void hubtok__strs_free(hubtok__strs *v);

typedef struct hubtok__decoder hubtok__decoder;

typedef struct hubtok__decoder_ops {
  /* out (empty, initialised) receives the new list. */
  hubtok_code (*decode_chain)(const hubtok__decoder *d,
                              const hubtok__strs *in, hubtok__strs *out,
                              hubtok_error *err);
  size_t (*memory)(const hubtok__decoder *d);
  void (*destroy)(hubtok__decoder *d);
} hubtok__decoder_ops;

struct hubtok__decoder {
  const hubtok__decoder_ops *ops;
};

/* Build from tokenizer.json "decoder"; JSON null gives *out NULL (then
 * tokens are joined with spaces). Unknown types: HUBTOK_EUNSUPPORTED. */
hubtok_code hubtok__decoder_from_json(const struct cJSON *j,
                                      const char *path, int depth,
                                      hubtok__decoder **out,
                                      hubtok_error *err);

/* Component factories. */
hubtok_code hubtok__replace_decoder_from_json(const struct cJSON *j,
                                              const char *path,
                                              hubtok__decoder **out,
                                              hubtok_error *err);
hubtok_code hubtok__byte_fallback_from_json(const struct cJSON *j,
                                            const char *path,
                                            hubtok__decoder **out,
                                            hubtok_error *err);
hubtok_code hubtok__fuse_from_json(const struct cJSON *j, const char *path,
                                   hubtok__decoder **out,
                                   hubtok_error *err);
hubtok_code hubtok__wordpiece_decoder_from_json(const struct cJSON *j,
                                                const char *path,
                                                hubtok__decoder **out,
                                                hubtok_error *err);
hubtok_code hubtok__strip_from_json(const struct cJSON *j, const char *path,
                                    hubtok__decoder **out,
                                    hubtok_error *err);
hubtok_code hubtok__byte_level_decoder_from_json(const struct cJSON *j,
                                                 const char *path,
                                                 hubtok__decoder **out,
                                                 hubtok_error *err);
hubtok_code hubtok__metaspace_decoder_from_json(const struct cJSON *j,
                                                const char *path,
                                                hubtok__decoder **out,
                                                hubtok_error *err);
hubtok_code hubtok__ctc_from_json(const struct cJSON *j, const char *path,
                                  hubtok__decoder **out, hubtok_error *err);
hubtok_code hubtok__bpe_decoder_from_json(const struct cJSON *j,
                                          const char *path,
                                          hubtok__decoder **out,
                                          hubtok_error *err);

/* Decode the token list: the chain of d joined, or the tokens joined
 * with " " when d is NULL. *out is NUL-terminated, owned by the caller
 * (free()). */
hubtok_code hubtok__decode_tokens(const hubtok__decoder *d,
                                  const hubtok__strs *tokens, char **out,
                                  size_t *out_len, hubtok_error *err);

size_t hubtok__decoder_memory(const hubtok__decoder *d);

/* NULL-safe. */
void hubtok__decoder_free(hubtok__decoder *d);

#endif /* HUBTOK_DECODERS_DECODER_H */
