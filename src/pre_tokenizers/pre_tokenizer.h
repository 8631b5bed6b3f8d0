/*
 * pre_tokenizer.h: the pre-tokenizer stage and the PreTokenizedString it
 * works on (tokenizers/src/tokenizer/pre_tokenizer.rs,
 * tokenizers/src/pre_tokenizers/mod.rs).
 *
 * A hubtok__pretok is a list of splits; each split is a NormalizedString
 * and, for added tokens found in the text, the token id already assigned.
 * Pre-tokenizers split the pieces further; only the null pre-tokenizer
 * (the whole piece is one word) is supported in this slice.
 *
 * Pre-tokenizers are immutable after hubtok__pre_tokenizer_from_json();
 * pre_tokenize() may run from several threads at once. A hubtok__pretok
 * is per-call data owned by its creator: hubtok__pretok_free().
 */
#ifndef HUBTOK_PRE_TOKENIZERS_PRE_TOKENIZER_H
#define HUBTOK_PRE_TOKENIZERS_PRE_TOKENIZER_H

#include "internal.h"
#include "tokenizer/normalized.h"

#include <stdint.h>

struct cJSON;

typedef struct hubtok__split {
  hubtok__nstr ns;
  int added;         /* 1: an added token, id in added_id */
  uint32_t added_id;
} hubtok__split;

typedef struct hubtok__pretok {
  hubtok__split *v;
  size_t n;
  size_t cap;
} hubtok__pretok;

/* Append a split, taking over *ns (left empty) even on failure. */
hubtok_code hubtok__pretok_push(hubtok__pretok *pt, hubtok__nstr *ns,
                                int added, uint32_t added_id)
  HUBTOK__WARN_UNUSED;

/* Free every split and the list. */
void hubtok__pretok_free(hubtok__pretok *pt);

typedef struct hubtok__pre_tokenizer hubtok__pre_tokenizer;

typedef struct hubtok__pre_tokenizer_ops {
  hubtok_code (*pre_tokenize)(const hubtok__pre_tokenizer *p,
                              hubtok__pretok *pt, hubtok_error *err);
  size_t (*memory)(const hubtok__pre_tokenizer *p);
  void (*destroy)(hubtok__pre_tokenizer *p);
} hubtok__pre_tokenizer_ops;

struct hubtok__pre_tokenizer {
  const hubtok__pre_tokenizer_ops *ops;
};

/* Build from tokenizer.json "pre_tokenizer". JSON null gives *out NULL
 * (no pre-tokenizer); every type is HUBTOK_EUNSUPPORTED for now. */
hubtok_code hubtok__pre_tokenizer_from_json(const struct cJSON *j,
                                            const char *path, int depth,
                                            hubtok__pre_tokenizer **out,
                                            hubtok_error *err);

/* Apply p (NULL: every piece stays one word). */
hubtok_code hubtok__pre_tokenize(const hubtok__pre_tokenizer *p,
                                 hubtok__pretok *pt, hubtok_error *err);

size_t hubtok__pre_tokenizer_memory(const hubtok__pre_tokenizer *p);

/* NULL-safe. */
void hubtok__pre_tokenizer_free(hubtok__pre_tokenizer *p);

#endif /* HUBTOK_PRE_TOKENIZERS_PRE_TOKENIZER_H */
