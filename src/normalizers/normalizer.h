/*
 * normalizer.h: the normalizer stage (tokenizers/src/normalizers/mod.rs):
 * rewrites a NormalizedString in place, keeping its alignments.
 *
 * Normalizers are built by hubtok__normalizer_from_json() and immutable
 * after; normalize() may run from several threads at once. Free with
 * hubtok__normalizer_free().
 */
#ifndef HUBTOK_NORMALIZERS_NORMALIZER_H
#define HUBTOK_NORMALIZERS_NORMALIZER_H

#include "internal.h"
#include "tokenizer/normalized.h"

struct cJSON;

typedef struct hubtok__normalizer hubtok__normalizer;

typedef struct hubtok__normalizer_ops {
  hubtok_code (*normalize)(const hubtok__normalizer *n, hubtok__nstr *ns,
                           hubtok_error *err);
  size_t (*memory)(const hubtok__normalizer *n);
  void (*destroy)(hubtok__normalizer *n);
} hubtok__normalizer_ops;

struct hubtok__normalizer {
  const hubtok__normalizer_ops *ops;
};

/* Build from tokenizer.json "normalizer" (`j` may be JSON null: then
 * *out is NULL, meaning no normalizer). `depth` counts Sequence nesting.
 * Unknown types: HUBTOK_EUNSUPPORTED naming the type and path. */
hubtok_code hubtok__normalizer_from_json(const struct cJSON *j,
                                         const char *path, int depth,
                                         hubtok__normalizer **out,
                                         hubtok_error *err);

/* Component factories (called by hubtok__normalizer_from_json). */
hubtok_code hubtok__prepend_from_json(const struct cJSON *j,
                                      const char *path,
                                      hubtok__normalizer **out,
                                      hubtok_error *err);
hubtok_code hubtok__replace_normalizer_from_json(const struct cJSON *j,
                                                 const char *path,
                                                 hubtok__normalizer **out,
                                                 hubtok_error *err);
hubtok_code hubtok__byte_level_normalizer_from_json(const struct cJSON *j,
                                                    const char *path,
                                                    hubtok__normalizer **out,
                                                    hubtok_error *err);
/* NFD, NFKD, NFC or NFKC, by `type` (unicode.c). */
hubtok_code hubtok__unicode_normalizer_from_json(const struct cJSON *j,
                                                 const char *path,
                                                 const char *type,
                                                 hubtok__normalizer **out,
                                                 hubtok_error *err);
hubtok_code hubtok__lowercase_from_json(const struct cJSON *j,
                                        const char *path,
                                        hubtok__normalizer **out,
                                        hubtok_error *err);
hubtok_code hubtok__strip_normalizer_from_json(const struct cJSON *j,
                                               const char *path,
                                               hubtok__normalizer **out,
                                               hubtok_error *err);
hubtok_code hubtok__strip_accents_from_json(const struct cJSON *j,
                                            const char *path,
                                            hubtok__normalizer **out,
                                            hubtok_error *err);
hubtok_code hubtok__bert_normalizer_from_json(const struct cJSON *j,
                                              const char *path,
                                              hubtok__normalizer **out,
                                              hubtok_error *err);
hubtok_code hubtok__precompiled_from_json(const struct cJSON *j,
                                          const char *path,
                                          hubtok__normalizer **out,
                                          hubtok_error *err);

/* The {"pattern": {"String"|"Regex": ...}, "content": ...} members shared
 * by the Replace normalizer and the Replace decoder. On success the
 * caller owns *pattern (hubtok__pattern_free) and *content (free). */
hubtok_code hubtok__replace_pattern_from_json(const struct cJSON *j,
                                              const char *path,
                                              hubtok__pattern *pattern,
                                              char **content,
                                              size_t *content_len,
                                              hubtok_error *err);

/* Apply n (NULL: no-op). */
hubtok_code hubtok__normalize(const hubtok__normalizer *n, hubtok__nstr *ns,
                              hubtok_error *err);

size_t hubtok__normalizer_memory(const hubtok__normalizer *n);

/* NULL-safe. */
void hubtok__normalizer_free(hubtok__normalizer *n);

#endif /* HUBTOK_NORMALIZERS_NORMALIZER_H */
